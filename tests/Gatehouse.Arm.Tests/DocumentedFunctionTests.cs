using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>
/// The examples of Microsoft's "ARM template functions reference" (learn.microsoft.com/azure/azure-resource-manager/
/// templates/template-functions-*), each with the output the page documents; the page is named per group.
/// </summary>
public sealed class DocumentedFunctionTests
{
    private const string Dogs = """
        createArray(
          createObject('name', 'Evie', 'age', 5, 'interests', createArray('Ball', 'Frisbee')),
          createObject('name', 'Casper', 'age', 3, 'interests', createArray('Other dogs')),
          createObject('name', 'Indy', 'age', 2, 'interests', createArray('Butter')),
          createObject('name', 'Kira', 'age', 8, 'interests', createArray('Rubs')))
        """;

    private static string Json(string expression) => Evaluate(expression)?.ToJsonString() ?? "null";

    /// <summary>ARM template functions reference, array functions.</summary>
    [Theory]
    [InlineData("[flatten(createArray(createArray('one', 'two'), createArray('three'), createArray('four', 'five')))]", """["one","two","three","four","five"]""")]
    [InlineData("[intersection(createObject('one', 'a', 'two', 'b', 'three', 'c'), createObject('one', 'a', 'two', 'z', 'three', 'c'))]", """{"one":"a","three":"c"}""")]
    [InlineData("[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]", """["two","three"]""")]
    [InlineData("[indexOf(createArray('one', 'two', 'three'), 'two')]", "1")]
    [InlineData("[indexOf(createArray(1, 2, 3), 4)]", "-1")]
    [InlineData("[lastIndexOf(createArray('one', 'two', 'three', 'one'), 'one')]", "3")]
    [InlineData("[indexFromEnd(createArray('a', 'b', 'c'), 1)]", "\"c\"")]
    [InlineData("[tryIndexFromEnd(createArray('a', 'b', 'c'), 4)]", "null")]
    [InlineData("[items(createObject('item002', createObject('enabled', false()), 'item001', createObject('enabled', true())))]",
        """[{"key":"item001","value":{"enabled":true}},{"key":"item002","value":{"enabled":false}}]""")]
    public void Array_functions(string expression, string expected) => Assert.Equal(expected, Json(expression));

    /// <summary>ARM template functions reference, object functions.</summary>
    [Theory]
    [InlineData("[objectKeys(createObject('a', 1, 'b', 2))]", """["a","b"]""")]
    [InlineData("[shallowMerge(createArray(createObject('one', 'a'), createObject('two', 'b'), createObject('two', 'c')))]", """{"one":"a","two":"c"}""")]
    [InlineData("[shallowMerge(createArray(createObject('one', 'a', 'nested', createObject('a', 1, 'nested', createObject('c', 3))), createObject('two', 'b', 'nested', createObject('b', 2))))]",
        """{"one":"a","nested":{"b":2},"two":"b"}""")]
    public void Object_functions(string expression, string expected) => Assert.Equal(expected, Json(expression));

    /// <summary>ARM template functions reference, lambda functions (the "dogs" examples).</summary>
    [Theory]
    [InlineData("filter(DOGS, lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))", """["Evie","Kira"]""", true)]
    [InlineData("map(DOGS, lambda('dog', lambdaVariables('dog')))", """["Evie","Casper","Indy","Kira"]""", true)]
    [InlineData("sort(DOGS, lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age)))", """["Indy","Casper","Evie","Kira"]""", true)]
    [InlineData("reduce(map(DOGS, lambda('dog', lambdaVariables('dog').age)), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))", "18", false)]
    [InlineData("objectKeys(toObject(DOGS, lambda('entry', lambdaVariables('entry').name)))", """["Evie","Casper","Indy","Kira"]""", false)]
    [InlineData("toObject(DOGS, lambda('entry', lambdaVariables('entry').name), lambda('entry', lambdaVariables('entry').age))", """{"Evie":5,"Casper":3,"Indy":2,"Kira":8}""", false)]
    [InlineData("map(range(0, 2), lambda('i', 'n', add(lambdaVariables('i'), lambdaVariables('n'))))", "[0,2]", false)]
    public void Lambda_functions_over_dogs(string expression, string expected, bool names)
    {
        var result = Evaluate($"[{expression.Replace("DOGS", Dogs, StringComparison.Ordinal)}]");

        Assert.Equal(expected, names ? new System.Text.Json.Nodes.JsonArray(result!.AsArray().Select(d => (System.Text.Json.Nodes.JsonNode?)d!["name"]!.GetValue<string>()).ToArray()).ToJsonString() : result!.ToJsonString());
    }

    /// <summary>ARM template functions reference, lambda functions: mapValues and groupBy.</summary>
    [Theory]
    [InlineData("[mapValues(createObject('foo', 'foo', 'bar', 'bar'), lambda('val', toUpper(lambdaVariables('val'))))]", """{"foo":"FOO","bar":"BAR"}""")]
    [InlineData("[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]", """{"f":["foo"],"b":["bar","baz"]}""")]
    public void Lambda_functions_over_objects(string expression, string expected) => Assert.Equal(expected, Json(expression));

    [Fact]
    public void A_lambda_outside_a_lambda_function_and_an_unknown_lambda_variable_are_errors()
    {
        Assert.Contains("can only be an argument", EvaluationError("[lambda('x', 1)]").Message);
        Assert.Contains("'y'", EvaluationError("[map(createArray(1), lambda('x', lambdaVariables('y')))]").Message);
        Assert.Contains("must be a lambda", EvaluationError("[map(createArray(1), 1)]").Message);
    }

    /// <summary>ARM template functions reference, string functions.</summary>
    [Theory]
    [InlineData("[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8=")]
    [InlineData("[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", "Hello, World!")]
    [InlineData("[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]", "http://contoso.com/resources/nested/azuredeploy.json")]
    [InlineData("[uri('http://contoso.org/firstpath', 'myscript.sh')]", "http://contoso.org/myscript.sh")]
    [InlineData("[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]", "http://contoso.org/firstpath/myscript.sh")]
    [InlineData("[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]", "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json")]
    [InlineData("[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')]", "http://contoso.com/resources/nested/azuredeploy.json")]
    [InlineData("[join(createArray('one', 'two', 'three'), ',')]", "one,two,three")]
    [InlineData("[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]", "Hello, User. Formatted number: 8,175,133")]
    [InlineData("[string(base64ToJson('eyJvbmUiOiAiYSIsICJ0d28iOiAiYiJ9'))]", """{"one":"a","two":"b"}""")]
    public void String_functions(string expression, string expected) => Assert.Equal(expected, EvaluateText(expression));

    /// <summary>ARM template functions reference, date functions.</summary>
    [Theory]
    [InlineData("[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')]", "4/7/2023 2:53:14 PM")]
    [InlineData("[dateTimeAdd('2020-04-07 14:53:14Z', '-PT9H')]", "4/7/2020 5:53:14 AM")]
    [InlineData("[dateTimeAdd('2020-04-07 14:53:14Z', 'P1W2DT30M', 'yyyy-MM-ddTHH:mm:ssZ')]", "2020-04-16T15:23:14Z")]
    [InlineData("[dateTimeFromEpoch(1683040573)]", "2023-05-02T15:16:13Z")]
    [InlineData("[string(dateTimeToEpoch('2023-05-02T15:16:13Z'))]", "1683040573")]
    public void Date_functions(string expression, string expected) => Assert.Equal(expected, EvaluateText(expression));

    [Fact]
    public void UtcNow_and_newGuid_only_in_parameter_defaults_with_the_injected_time()
    {
        const string template = """
            { "parameters": {
                "now": { "type": "string", "defaultValue": "[utcNow()]" },
                "day": { "type": "string", "defaultValue": "[utcNow('yyyy-MM-dd')]" },
                "id": { "type": "string", "defaultValue": "[newGuid()]" } },
              "outputs": { "expires": { "type": "string", "value": "[dateTimeAdd(parameters('now'), 'P1D', 'u')]" } } }
            """;
        var options = new ExpansionOptions { UtcNow = new DateTimeOffset(2019, 3, 5, 17, 53, 18, TimeSpan.Zero) };

        var expanded = TemplateExpander.Expand(Parse(template), null, Scope, options);

        Assert.Equal("20190305T175318Z", expanded.Parameters[0].Value!.GetValue<string>());
        Assert.Equal("2019-03-05", expanded.Parameters[1].Value!.GetValue<string>());
        Assert.True(Guid.TryParse(expanded.Parameters[2].Value!.GetValue<string>(), out _));
        Assert.Equal("2019-03-06 17:53:18Z", expanded.Outputs["expires"]!["value"]!.GetValue<string>());
        Assert.Contains("defaultValue", Assert.Throws<ArmException>(() => EvaluateAsOutput("[utcNow()]")).Message);
        Assert.Contains("defaultValue", Assert.Throws<ArmException>(() => EvaluateAsOutput("[newGuid()]")).Message);
    }

    /// <summary>ARM template functions reference, deployment functions.</summary>
    [Fact]
    public void Environment_describes_the_public_cloud_and_deployment_has_the_template_link_only_when_linked()
    {
        Assert.Equal("AzureCloud", EvaluateText("[environment().name]"));
        Assert.Equal("core.windows.net", EvaluateText("[environment().suffixes.storage]"));
        Assert.Equal("https://management.azure.com/", EvaluateText("[environment().resourceManager]"));
        Assert.Contains("templateLink", Assert.Throws<ArmException>(() => EvaluateAsOutput("[deployment().properties.templateLink.uri]")).Message);

        var template = Parse("""{ "outputs": { "uri": { "type": "string", "value": "[uri(deployment().properties.templateLink.uri, 'nested.json')]" } } }""");
        var linked = TemplateExpander.Expand(template, null, Scope, new ExpansionOptions { TemplateLink = new Uri("https://example.com/t/azuredeploy.json") });
        Assert.Equal("https://example.com/t/nested.json", linked.Outputs["uri"]!["value"]!.GetValue<string>());
    }

    /// <summary>ARM template functions reference, resource functions.</summary>
    [Theory]
    [InlineData("[extensionResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw', 'Microsoft.Authorization/locks', 'lock')]",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw/providers/Microsoft.Authorization/locks/lock")]
    [InlineData("[managementGroupResourceId('mg', 'Microsoft.Authorization/policyDefinitions', 'locationpolicy')]",
        "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/locationpolicy")]
    [InlineData("[string(pickZones('Microsoft.Compute', 'virtualMachines', 'westus2'))]", """["1"]""")]
    [InlineData("[string(pickZones('Microsoft.Compute', 'virtualMachines', 'westus2', 3))]", """["1","2","3"]""")]
    [InlineData("[string(pickZones('Microsoft.Compute', 'virtualMachines', 'westus2', 2, 1))]", """["2","3"]""")]
    [InlineData("[string(pickZones('Microsoft.Cdn', 'profiles', 'westus2'))]", "[]")]
    [InlineData("[string(pickZones('Microsoft.Compute', 'virtualMachines', 'northcentralus'))]", "[]")]
    public void Resource_functions(string expression, string expected) => Assert.Equal(expected, EvaluateText(expression));

    /// <summary>ARM template functions reference, CIDR functions.</summary>
    [Theory]
    [InlineData("[parseCidr('10.144.0.0/20')]",
        """{"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255","firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20}""")]
    [InlineData("[parseCidr('fdad:3236:5555::/48')]",
        """{"network":"fdad:3236:5555::","netmask":"ffff:ffff:ffff::","firstUsable":"fdad:3236:5555::","lastUsable":"fdad:3236:5555:ffff:ffff:ffff:ffff:ffff","cidr":48}""")]
    [InlineData("[cidrSubnet('10.144.0.0/20', 24, 1)]", "\"10.144.1.0/24\"")]
    [InlineData("[cidrSubnet('fdad:3236:5555::/48', 52, 1)]", "\"fdad:3236:5555:1000::/52\"")]
    [InlineData("[cidrHost('10.144.3.0/24', 0)]", "\"10.144.3.1\"")]
    [InlineData("[cidrHost('10.144.3.0/24', 4)]", "\"10.144.3.5\"")]
    [InlineData("[cidrHost('fdad:3236:5555:3000::/52', 0)]", "\"fdad:3236:5555:3000::1\"")]
    public void Cidr_functions(string expression, string expected) => Assert.Equal(expected, Json(expression));

    [Fact]
    public void Cidr_functions_refuse_what_does_not_fit()
    {
        Assert.Contains("subnet index", EvaluationError("[cidrSubnet('10.0.0.0/24', 25, 2)]").Message);
        Assert.Contains("host index", EvaluationError("[cidrHost('10.0.0.0/30', 2)]").Message);
        Assert.Contains("not a CIDR range", EvaluationError("[parseCidr('10.0.0.0')]").Message);
    }
}
