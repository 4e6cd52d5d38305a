using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Control.Tests;

/// <summary>Templates past ARM's limits are refused with ARM's codes, and the management API keeps answering.</summary>
public sealed class DeploymentLimitTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    private static async Task<RunningServer> StartedAsync()
    {
        var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        return server;
    }

    private static string ValidatePath(RunningServer server) => $"{server.DeploymentPath("rg1", "limits")}/validate?{RunningServer.ApiVersion}";

    private static byte[] BodyOver4MB() =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["properties"] = new JsonObject { ["mode"] = "Incremental", ["template"] = new JsonObject { ["padding"] = new string('x', TemplateLimits.MaxTemplateBytes) } },
        }.ToJsonString());

    /// <summary>The reference template with one more tag on its first resource, evaluated when the deployment is validated.</summary>
    private static JsonObject WithTag(string value, JsonObject? variables = null)
    {
        var template = Reference.Template;
        foreach (var (name, variable) in variables ?? []) template["variables"]![name] = variable?.DeepClone();
        template["resources"]![0]!["tags"] = new JsonObject { ["limit"] = value };
        return Reference.Body(template);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_4_MB_is_refused_with_RequestContentTooLarge_whether_its_length_is_declared_or_chunked(bool declaresLength)
    {
        await using var server = await StartedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, ValidatePath(server)) { Content = new ByteArrayContent(BodyOver4MB()) };
        request.Content.Headers.ContentType = new("application/json");
        if (!declaresLength)
        {
            request.Headers.TransferEncodingChunked = true;
            request.Content.Headers.ContentLength = null;
        }

        using var response = await server.Http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestContentTooLarge", error["code"]!.GetValue<string>());
        Assert.Equal("The request content size exceeds the maximum size of 4 MB.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deep_doubling_and_800_by_800_templates_are_refused_and_the_server_then_deploys_the_reference_template()
    {
        await using var server = await StartedAsync();
        var nested = new StringBuilder().Insert(0, "concat(", 20_000).Append("'x'").Append(')', 20_000);
        var doubling = new JsonObject { ["d0"] = "xxxxxxxxxxxxxxxx" };
        for (var i = 1; i <= 28; i++) doubling[$"d{i}"] = $"[concat(variables('d{i - 1}'), variables('d{i - 1}'))]";
        var grid = (JsonObject)JsonNode.Parse("""
            { "copy": [ { "name": "grid", "count": 800, "input": { "copy": [ { "name": "row", "count": 800, "input": "[padLeft('x', 1000)]" } ] } } ] }
            """)!;

        foreach (var (body, code, message) in new[]
        {
            (WithTag($"[{nested}]"), "InvalidTemplate", "over the limit of '24576' characters"),
            (WithTag("[variables('d28')]", doubling), "InvalidTemplate", "produced a value larger than the limit"),
            (WithTag("[string(length(variables('grid')))]", grid), "DeploymentJobSizeExceeded", "exceeds the job size limit"),
        })
        {
            var validate = await server.SendAsync(HttpMethod.Post, ValidatePath(server), body);
            Assert.Equal(HttpStatusCode.BadRequest, validate.Status);
            Assert.Equal(code, validate.ErrorCode);
            Assert.True(validate.Json!["error"]!["message"]!.GetValue<string>().Contains(message), validate.Text);
        }

        var status = await server.DeployAsync("rg1", "after", Reference.Body());
        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
    }
}
