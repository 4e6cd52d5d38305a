using System.Text.Json.Nodes;
using System.Text;
using Gatehouse.Arm;
using Gatehouse.Errors;

namespace Gatehouse.Control.Deployments;

/// <summary>
/// Reads the documents of linked deployments (<c>templateLink</c>, <c>parametersLink</c>) over HTTP(S), for
/// <see cref="ExpansionOptions.ResolveTemplateLink"/>: within <see cref="Timeout"/>, at most ARM's 4 MB, JSON only. A
/// failure is a <see cref="TemplateLinkException"/> saying why; the URI, whose query may be a SAS token, is never put in
/// a message or a log here (Arm names it without its query).
/// </summary>
internal sealed class TemplateLinkFetcher : IDisposable
{
    /// <summary>ARM's limit on a template, linked templates included.</summary>
    public const int MaxBytes = TemplateLimits.MaxTemplateBytes;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = true })
    {
        Timeout = Timeout,
        MaxResponseContentBufferSize = MaxBytes,
    };

    /// <summary>Synchronous, as template expansion is: a deployment runs in the background, validate and what-if wait for it anyway.</summary>
    public JsonObject Fetch(Uri uri)
    {
        string text;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = _http.Send(request, HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode) throw new TemplateLinkException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            using var content = response.Content.ReadAsStream();
            using var reader = new StreamReader(content, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (TaskCanceledException)
        {
            throw new TemplateLinkException($"no answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new TemplateLinkException($"the content is larger than ARM's limit of {MaxBytes / 1024 / 1024} MB.");
        }
        catch (HttpRequestException e)
        {
            throw new TemplateLinkException($"the request failed ({e.HttpRequestError}).");
        }
        try
        {
            return Jsonc.Parse(text) as JsonObject ?? throw new TemplateLinkException("the content is not a JSON object.");
        }
        catch (ArmException e)
        {
            throw new TemplateLinkException($"the content is not JSON: {e.Error.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
