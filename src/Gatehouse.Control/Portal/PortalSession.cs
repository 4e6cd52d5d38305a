using Gatehouse.Control.Security;

namespace Gatehouse.Control.Portal;

/// <summary>
/// Signing in to the portal with the API's own credentials: the form is checked as the token endpoint checks a
/// client-credentials request, and the cookie carries a token from the same issuer, so it expires like one.
/// </summary>
internal static class PortalSession
{
    // __Host- makes the browser insist on Secure, Path=/ and no Domain, so no other site can plant or read it.
    private const string CookieName = "__Host-gatehouse-portal";

    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(PortalPage.SignInPath, () => SignInForm(failed: false));

        app.MapPost(PortalPage.SignInPath, async (HttpContext http, Credentials credentials, TokenIssuer tokens) =>
        {
            if (!http.Request.HasFormContentType) return SignInForm(failed: true);
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form["client_id"] != credentials.ClientId || !TokenIssuer.SecretMatches(form["client_secret"].ToString(), credentials.ClientSecret))
                return SignInForm(failed: true);
            http.Response.Cookies.Append(CookieName, tokens.Issue(), new CookieOptions
            {
                HttpOnly = true,
                Secure = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                MaxAge = TokenIssuer.Lifetime,
            });
            return Results.Redirect("/portal", preserveMethod: false);
        });

        app.MapPost("/portal/signout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Secure = true, Path = "/" });
            return Results.Redirect(PortalPage.SignInPath);
        });
    }

    /// <summary>Every page of the group needs a valid session cookie; without one the browser is sent to sign in.</summary>
    public static RouteGroupBuilder RequirePortalSession(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            var tokens = http.RequestServices.GetRequiredService<TokenIssuer>();
            return http.Request.Cookies.TryGetValue(CookieName, out var token) && tokens.IsValid(token)
                ? next(context)
                : ValueTask.FromResult<object?>(Results.Redirect(PortalPage.SignInPath));
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
