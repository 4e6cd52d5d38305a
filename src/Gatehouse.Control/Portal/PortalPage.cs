using System.Globalization;
using System.Text;

namespace Gatehouse.Control.Portal;

/// <summary>The frame every portal page shares: title, breadcrumbs, sign-out, and headers that keep it private and inert.</summary>
internal static class PortalPage
{
    // No inline scripts, no external assets: only the portal's own script file may run, and fetch only from here,
    // so an escaping mistake cannot run code either.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Html StyleSheet = Html.Of($$"""
        <style>
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;gap:1em;align-items:center;padding:.6em 1.2em;background:#0b3d6b;color:#fff}
        header a{color:#fff}header form{margin-left:auto}
        main{padding:1em 1.2em;max-width:80em}
        nav ol{list-style:none;padding:0;display:flex;gap:.4em;flex-wrap:wrap}nav li+li::before{content:"/ "}
        table{border-collapse:collapse;margin:.5em 0 1.2em;background:#fff}
        th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
        th{background:#eef2f6}pre{background:#fff;border:1px solid #ccc;padding:.8em;overflow:auto}
        a{color:#0b57a4}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a000;outline-offset:2px}
        .bad{color:#a40000;font-weight:600}.good{color:#17702b;font-weight:600}
        label{display:block;margin:.6em 0 .2em}
        .charts{display:flex;flex-wrap:wrap;gap:1em}.charts figure{margin:0;background:#fff;border:1px solid #ccc;padding:.4em}
        .charts figcaption{font-weight:600}.legend{list-style:none;padding:0;margin:0;display:flex;gap:1em;font-size:13px}
        </style>
        """);

    public const string SignInPath = "/portal/signin";

    /// <summary>A signed-in page: breadcrumbs lead back up, and the header offers sign-out with the session's form token.</summary>
    public static IResult Signed(string title, IEnumerable<(string Text, string Href)> trail, Html body, int statusCode = StatusCodes.Status200OK) =>
        new Page(context => Document(title, Html.Of($"""
            <header><a href="/portal">Gatehouse portal</a>
            <form method="post" action="{PortalSession.SignOutPath}"><input type="hidden" name="{PortalSession.FormTokenField}" value="{context.Features.Get<SignedInSession>()?.FormToken}"><button type="submit">Sign out</button></form></header>
            <main><nav aria-label="Breadcrumb"><ol>{Html.Join(trail.Select(c => Html.Of($"<li><a href=\"{c.Href}\">{c.Text}</a></li>")))}<li aria-current="page">{title}</li></ol></nav>
            <h1>{title}</h1>
            {body}</main>
            """)), statusCode);

    public static IResult Respond(string title, Html content, int statusCode = StatusCodes.Status200OK) =>
        new Page(_ => Document(title, content), statusCode);

    /// <summary>A part of a page, for a script of the portal's own to put in place, with the same headers as a page.</summary>
    public static IResult Fragment(Html part) => new Page(_ => part, StatusCodes.Status200OK);

    private static Html Document(string title, Html content) => Html.Of($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title} - Gatehouse</title>{StyleSheet}</head>
        <body>{content}</body></html>
        """);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Link(params string[] segments) => "/portal/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    private sealed class Page(Func<HttpContext, Html> render, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            return response.WriteAsync(render(context).Value, Encoding.UTF8, context.RequestAborted);
        }
    }
}
