using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;

namespace Gatehouse.Control.Deployments;

/// <summary>
/// Reads the documents of linked deployments (<c>templateLink</c>, <c>parametersLink</c>) over HTTP(S) before
/// expansion, so that expansion stays synchronous and no thread waits on the network: expansion runs with the
/// documents at hand and names those it lacks (<see cref="ExpansionOptions.ResolveTemplateLink"/> answers null), which
/// are fetched together, <see cref="ParallelFetches"/> at a time (and at most <see cref="MaxFetches"/> for all the
/// deployments running at once, which share this fetcher), and expansion runs again until it lacks none. A
/// document is read within <see cref="Timeout"/>, at most ARM's 4 MB, JSON only. A failure is kept as a
/// <see cref="TemplateLinkException"/> saying why, which expansion reports where the link is; the URI, whose query may
/// be a SAS token, is never put in a message or a log here (Arm names it without its query).
/// </summary>
internal sealed class TemplateLinkFetcher : IDisposable
{
    /// <summary>ARM's limit on a template, linked templates included.</summary>
    public const int MaxBytes = TemplateLimits.MaxTemplateBytes;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const int ParallelFetches = 4;

    private const int MaxFetches = 16;

    private readonly SemaphoreSlim _fetching = new(MaxFetches, MaxFetches);

    /// <summary>Our own bound, so that a link that changes with every expansion (newGuid() in its URI) fails instead of running on.</summary>
    private const int MaxDocuments = 800;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = true })
    {
        Timeout = Timeout,
        MaxResponseContentBufferSize = MaxBytes,
    };

    /// <summary>
    /// Runs <paramref name="expand"/> with a resolver over the documents fetched so far, until an expansion asks for no
    /// document that is not at hand. An error from an expansion that lacked documents may come from what it lacked, so
    /// only the last expansion's result or error counts.
    /// </summary>
    public async Task<T> ExpandAsync<T>(Func<Func<Uri, JsonObject?>, T> expand, CancellationToken ct)
    {
        var documents = new Dictionary<Uri, Document>();
        while (true)
        {
            var missing = new HashSet<Uri>();
            JsonObject? Resolve(Uri uri)
            {
                if (documents.TryGetValue(uri, out var document)) return document.Json ?? throw new TemplateLinkException(document.Failure!);
                missing.Add(uri);
                return null;
            }

            try
            {
                var expanded = expand(Resolve);
                if (missing.Count == 0) return expanded;
            }
            catch (ArmException) when (missing.Count > 0)
            {
                // Expanded again once the documents are here.
            }
            if (documents.Count + missing.Count > MaxDocuments)
                throw new ArmException("InvalidTemplate", $"The deployment links more than {MaxDocuments} templates and parameter files.");
            var fetched = new Dictionary<Uri, Document>();
            await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = ParallelFetches, CancellationToken = ct },
                async (uri, token) =>
                {
                    await _fetching.WaitAsync(token);
                    try
                    {
                        var document = await FetchAsync(uri, token);
                        lock (fetched) fetched[uri] = document;
                    }
                    finally
                    {
                        _fetching.Release();
                    }
                });
            foreach (var (uri, document) in fetched) documents[uri] = document;
        }
    }

    private async Task<Document> FetchAsync(Uri uri, CancellationToken ct)
    {
        string text;
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, ct);
            if (!response.IsSuccessStatusCode) return Document.Failed($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Document.Failed($"no answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            return Document.Failed($"the content is larger than ARM's limit of {MaxBytes / 1024 / 1024} MB.");
        }
        catch (HttpRequestException e)
        {
            return Document.Failed($"the request failed ({e.HttpRequestError}).");
        }
        try
        {
            return Jsonc.Parse(text) is JsonObject json ? new Document(json, null) : Document.Failed("the content is not a JSON object.");
        }
        catch (ArmException e)
        {
            return Document.Failed($"the content is not JSON: {e.Error.Message}");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _fetching.Dispose();
    }

    /// <summary>A fetched document, or why it could not be read.</summary>
    private sealed record Document(JsonObject? Json, string? Failure)
    {
        public static Document Failed(string reason) => new(null, reason);
    }
}
