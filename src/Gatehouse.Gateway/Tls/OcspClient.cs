using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// Asks OCSP responders about client certificates and remembers each answer until its nextUpdate, shared by
/// every connection and every plan (runtime state of the host). Concurrent questions about one certificate
/// share one lookup. Answers without a nextUpdate and failed lookups are not kept (RFC 6960 §2.4: newer
/// information is always available).
/// </summary>
internal sealed class OcspClient : IDisposable
{
    /// <summary>The longest a first request on a connection waits for an answer; then the certificate fails.</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>An OCSP response is one signed answer; anything larger is not one.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    private static readonly MediaTypeHeaderValue RequestType = new("application/ocsp-request");

    private readonly ConcurrentDictionary<string, Task<OcspAnswer>> _answers = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public OcspClient(ILogger logger)
    {
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = LookupTimeout,
            ActivityHeadersPropagator = null,
        })
        {
            Timeout = LookupTimeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>The cached answer while it is current, else the lookup in flight, else a new lookup.</summary>
    public Task<OcspAnswer> AnswerAsync(OcspQuery query)
    {
        if (_answers.TryGetValue(query.CacheKey, out var known))
        {
            if (!known.IsCompletedSuccessfully || known.Result.NextUpdate > DateTimeOffset.UtcNow) return known;
            _answers.TryRemove(KeyValuePair.Create(query.CacheKey, known));
        }
        var lookup = new TaskCompletionSource<OcspAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _answers.GetOrAdd(query.CacheKey, lookup.Task);
        if (shared == lookup.Task) _ = CompleteAsync(lookup, query);
        return shared;
    }

    public void Dispose() => _http.Dispose();

    private async Task CompleteAsync(TaskCompletionSource<OcspAnswer> lookup, OcspQuery query)
    {
        var answer = OcspAnswer.Unavailable;
        try
        {
            answer = await LookUpAsync(query);
        }
        finally
        {
            // Whatever happened, the requests waiting on this lookup get an answer.
            if (answer.NextUpdate is null) _answers.TryRemove(KeyValuePair.Create(query.CacheKey, lookup.Task));
            lookup.SetResult(answer);
        }
    }

    private async Task<OcspAnswer> LookUpAsync(OcspQuery query)
    {
        try
        {
            using var content = new ByteArrayContent(query.EncodeRequest());
            content.Headers.ContentType = RequestType;
            using var response = await _http.PostAsync(query.Responder, content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                _logger.LogWarning("OCSP responder {Responder} answered HTTP {Status}.", query.Responder, (int)response.StatusCode);
                return OcspAnswer.Unavailable;
            }
            var answer = OcspResponse.Read(await response.Content.ReadAsByteArrayAsync(), query, DateTimeOffset.UtcNow);
            if (answer.Status == OcspCertStatus.Unavailable)
                _logger.LogWarning("OCSP responder {Responder} sent no valid answer for the certificate.", query.Responder);
            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or AsnContentException or CryptographicException)
        {
            _logger.LogWarning("OCSP responder {Responder} could not be asked: {Error}", query.Responder, e.Message);
            return OcspAnswer.Unavailable;
        }
    }
}
