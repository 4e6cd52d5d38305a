using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary>Like az: results as JSON on stdout; an ARM error as JSON on stderr with a non-zero exit code.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";

    public static int Result(JsonNode? node)
    {
        Console.Out.WriteLine(Format(node));
        return 0;
    }

    public static int Response(ArmResponse response) => response.IsSuccess ? Result(response.Body) : Failure(response.Error);

    /// <summary>az prints a list as the array of its items, not ARM's <c>{"value": [...]}</c> page.</summary>
    public static int List(ArmResponse response) => response.IsSuccess ? Result(response.Body?["value"]) : Failure(response.Error);

    public static int Failure(ArmError error)
    {
        Console.Error.WriteLine(Format(error.ToResponse()));
        return error.Code is "ResourceNotFound" or "ResourceGroupNotFound" or "DeploymentNotFound" ? 3 : 1;
    }

    /// <summary>Runs a command body, turning the errors a user can act on into ARM-shaped output.</summary>
    public static async Task<int> Guard(Func<Task<int>> command)
    {
        try { return await command(); }
        catch (ArmException e) { return Failure(e.Error); }
        catch (IOException e) { return Failure(new ArmError("InvalidArgument", e.Message)); }
        catch (UnauthorizedAccessException e) { return Failure(new ArmError("InvalidArgument", e.Message)); }
        catch (HttpRequestException e) { return Failure(new ArmError("ServerUnreachable", $"The management API did not answer: {e.Message}")); }
    }
}
