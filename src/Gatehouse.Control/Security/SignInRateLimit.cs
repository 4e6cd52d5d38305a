using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Gatehouse.Control.Api;
using Gatehouse.Control.Portal;
using Microsoft.AspNetCore.RateLimiting;

namespace Gatehouse.Control.Security;

/// <summary>
/// Guessing the client secret at the token endpoint or the portal's sign-in is slowed per client address: a burst
/// that any real sign-in pattern stays under (az and the CLI take a token per command), then ten a second. Both
/// endpoints share one bucket, since they check the same secret. A refused request is answered 429 with Retry-After.
/// </summary>
internal static class SignInRateLimit
{
    public const string PolicyName = "sign-in";

    private const int Burst = 60;
    private const int PerSecond = 10;

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddPolicy(PolicyName, http => RateLimitPartition.GetTokenBucketLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Burst,
                TokensPerPeriod = PerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        options.OnRejected = (context, cancellationToken) => RejectAsync(context, cancellationToken);
    });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"Too many sign-in attempts from this address; retry after {seconds} s.";
        var answer = http.Request.Path.StartsWithSegments(PortalPage.SignInPath)
            ? PortalPage.Respond("Too many attempts", Html.Of($"<main><h1>Too many attempts</h1><p>{message}</p></main>"), StatusCodes.Status429TooManyRequests)
            : ArmResponses.Json(new JsonObject { ["error"] = "temporarily_unavailable", ["error_description"] = message }, StatusCodes.Status429TooManyRequests);
        await answer.ExecuteAsync(http);
    }
}
