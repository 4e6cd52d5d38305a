using Gatehouse.Control.Security;

namespace Gatehouse.Control.Portal;

/// <summary>
/// Signing in to the portal with the API's own credentials: the form is checked as the token endpoint checks a
/// client-credentials request (and shares its rate limit), and starts a session that lasts as long as a token.
/// Signing out ends the session, and only a form of the session's own pages can ask for that.
/// </summary>
internal static class PortalSession
{
    // __Host- makes the browser insist on Secure, Path=/ and no Domain, so no other site can plant or read it.
    private const string CookieName = "__Host-gatehouse-portal";

    /// <summary>The sign-out form's field that carries the session's form token.</summary>
    public const string FormTokenField = "form_token";

    public const string SignOutPath = "/portal/signout";

    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(PortalPage.SignInPath, () => SignInForm(failed: false));

        app.MapPost(PortalPage.SignInPath, async (HttpContext http, Credentials credentials, PortalSessions sessions) =>
        {
            if (!http.Request.HasFormContentType) return SignInForm(failed: true);
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form["client_id"] != credentials.ClientId || !TokenIssuer.SecretMatches(form["client_secret"].ToString(), credentials.ClientSecret))
                return SignInForm(failed: true);
            http.Response.Cookies.Append(CookieName, sessions.Start().Id, new CookieOptions
            {
                HttpOnly = true,
                Secure = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                MaxAge = TokenIssuer.Lifetime,
            });
            return Results.Redirect("/portal", preserveMethod: false);
        }).RequireRateLimiting(SignInRateLimit.PolicyName);

        app.MapPost(SignOutPath, async (HttpContext http, PortalSessions sessions) =>
        {
            if (sessions.Find(http.Request.Cookies[CookieName]) is { } session)
            {
                var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
                if (!session.IssuedForm(form?[FormTokenField].ToString()))
                    return PortalPage.Respond("Sign out", Html.Of(
                        $"<main><h1>Not signed out</h1><p class=\"bad\">The request did not come from a portal page. <a href=\"/portal\">Back to the portal</a></p></main>"),
                        StatusCodes.Status403Forbidden);
                sessions.End(session);
            }
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Secure = true, Path = "/" });
            return Results.Redirect(PortalPage.SignInPath);
        });
    }

    /// <summary>Every page of the group needs a live session; without one the browser is sent to sign in.</summary>
    public static RouteGroupBuilder RequirePortalSession(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            var session = http.RequestServices.GetRequiredService<PortalSessions>().Find(http.Request.Cookies[CookieName]);
            if (session is null) return ValueTask.FromResult<object?>(Results.Redirect(PortalPage.SignInPath));
            // For the page frame's sign-out form.
            http.Features.Set(session);
            return next(context);
        });
        return group;
    }

    private static IResult SignInForm(bool failed) => PortalPage.Respond("Sign in", Html.Of($"""
        <main><h1>Sign in to Gatehouse</h1>
        <p>Use the service principal of the management API (<code>credentials.json</code> in the data directory).</p>
        {(failed ? Html.Of($"<p class=\"bad\" role=\"alert\">The client id or client secret is not valid.</p>") : Html.Empty)}
        <form method="post" action="{PortalPage.SignInPath}">
        <label for="client_id">Client id</label><input id="client_id" name="client_id" required autocomplete="username" size="40" autofocus>
        <label for="client_secret">Client secret</label><input id="client_secret" name="client_secret" type="password" required autocomplete="current-password" size="40">
        <p><button type="submit">Sign in</button></p>
        </form></main>
        """), failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
}
