using System.Text.RegularExpressions;
using Gatehouse.Control.Security;
using Gatehouse.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Control.Api;

/// <summary>What every request goes through before an endpoint: lenient paths, ARM-shaped errors, the bearer token, api-version.</summary>
internal static partial class ArmPipeline
{
    /// <summary>az sends <c>//metadata/endpoints</c>, <c>Microsoft.Network//applicationGateways</c> and <c>deployments/</c>; routes match case-insensitively already.</summary>
    public static void UseLenientPaths(this WebApplication app) => app.Use((context, next) =>
    {
        var path = context.Request.Path.Value;
        if (!string.IsNullOrEmpty(path))
        {
            var normalized = RepeatedSlashes().Replace(path, "/");
            if (normalized.Length > 1) normalized = normalized.TrimEnd('/');
            context.Request.Path = normalized;
        }
        return next(context);
    });

    /// <summary>
    /// Endpoints throw <see cref="ArmException"/>; this turns it into ARM's error response. Anything else is a fault of
    /// ours: the caller gets ARM's <c>InternalServerError</c> with a tracking id, and the log gets the exception under
    /// the same id. The exception's own message stays in the log: it may quote stored data.
    /// </summary>
    public static void UseArmErrors(this WebApplication app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (ArmException e) when (!context.Response.HasStarted)
        {
            await ArmResponses.Error(e.Error).ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var trackingId = Guid.NewGuid().ToString();
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ArmPipeline))
                .LogError(e, "{Method} {Path} failed with an internal error, tracking id {TrackingId}", context.Request.Method, context.Request.Path, trackingId);
            await ArmResponses.Error(ArmErrors.InternalServerError(trackingId)).ExecuteAsync(context);
        }
    });

    public static RouteGroupBuilder RequireArmToken(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            var header = http.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return ValueTask.FromResult<object?>(ArmResponses.Error("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
            var tokens = http.RequestServices.GetRequiredService<TokenIssuer>();
            if (!tokens.IsValid(header["Bearer ".Length..].Trim()))
                return ValueTask.FromResult<object?>(ArmResponses.Error("AuthenticationFailed", "Authentication failed. The access token is invalid or has expired."));
            return next(context);
        });
        return group;
    }

    public static RouteGroupBuilder RequireApiVersion(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter((context, next) =>
            string.IsNullOrEmpty(context.HttpContext.Request.Query["api-version"])
                ? ValueTask.FromResult<object?>(ArmResponses.Error("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."))
                : next(context));
        return group;
    }

    /// <summary>There is one subscription; any other id in a path is not found.</summary>
    public static RouteGroupBuilder RequireKnownSubscription(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter((context, next) =>
        {
            var credentials = context.HttpContext.RequestServices.GetRequiredService<Credentials>();
            var subscriptionId = context.HttpContext.GetRouteValue("subscriptionId") as string;
            return string.Equals(subscriptionId, credentials.SubscriptionId, StringComparison.OrdinalIgnoreCase)
                ? next(context)
                : ValueTask.FromResult<object?>(ArmResponses.Error("SubscriptionNotFound", $"The subscription '{subscriptionId}' could not be found."));
        });
        return group;
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex RepeatedSlashes();
}
