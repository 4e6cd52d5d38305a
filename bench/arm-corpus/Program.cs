using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Arm;
using Gatehouse.Corpus;
using Gatehouse.Errors;

// Expands the whole corpus N times (default 20) after one warm-up pass and prints the time per full pass; with
// --table, prints instead the Markdown table of every template: expansion, provisioning by the network provider,
// resources and the functions it uses.
var table = args.Contains("--table");
var passes = args.Where(a => a != "--table").Select(int.Parse).DefaultIfEmpty(20).First();
var templates = CorpusTemplates.All;

if (table)
{
    Console.WriteLine("| template | result | provisioning | resources | functions |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var template in templates) Console.WriteLine(Row(template));
    return;
}

ExpandAll();
var watch = Stopwatch.StartNew();
for (var i = 0; i < passes; i++) ExpandAll();
watch.Stop();
Console.WriteLine($"{templates.Count} templates, {passes} passes: {watch.Elapsed.TotalMilliseconds / passes:F1} ms per full pass (target < 1000 ms)");

// Reading and parsing the files is part of a pass, as it is of a deployment.
void ExpandAll()
{
    foreach (var template in templates)
    {
        try
        {
            CorpusTemplates.Expand(template);
        }
        catch (ArmException)
        {
            // The one documented failure (the broken revision, see CorpusConformanceTests) costs as much as it costs.
        }
    }
}

static string Row(string template)
{
    var functions = FunctionsUsed(CorpusTemplates.Read(template));
    try
    {
        var expanded = CorpusTemplates.Expand(template);
        var result = expanded.DeferredPaths.Count == 0 ? "expands" : $"expands, {expanded.DeferredPaths.Count} value(s) deferred (linked outputs)";
        return $"| `{template}` | {result} | {Cell(CorpusDeployment.Outcome(template))} | {expanded.Resources.Count} | {functions} |";
    }
    catch (ArmException e)
    {
        return $"| `{template}` | fails: {e.Error.Code}: {Cell(e.Message)} | - | - | {functions} |";
    }
}

static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

// Distinct function names inside "[...]" expressions, found textually so that unparsable templates get a row too.
static string FunctionsUsed(string text)
{
    var names = Regex.Matches(text, @"""\[[^\[][^""]*""").SelectMany(expression => Regex.Matches(expression.Value, @"([A-Za-z][A-Za-z0-9]*)\s*\("))
        .Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct().Order();
    return string.Join(", ", names);
}
