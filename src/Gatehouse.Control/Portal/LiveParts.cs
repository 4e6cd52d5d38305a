namespace Gatehouse.Control.Portal;

/// <summary>
/// Keeps parts of a gateway page current while it is open (the pools' health, the metric charts): the portal's one
/// script asks the same page for just that part every few seconds and swaps it in when it changed, so the JSON view,
/// the focus and the rest of the page stay as the reader left them. A checkbox per part turns it off; without scripts
/// the page is as it was served.
/// </summary>
internal static class LiveParts
{
    public const string ScriptPath = "/portal/live.js";

    /// <summary>A part named <paramref name="part"/> under a heading that names its region, and the control that stops its refresh.</summary>
    public static Html Region(string part, string heading, string refreshing, int refreshSeconds, Html content, Html? controls = null) => Html.Of($"""
        <h2 id="{part}-heading">{heading}</h2>
        {controls ?? Html.Empty}
        <p hidden><label><input type="checkbox" id="live-{part}" checked> Update {refreshing} every {refreshSeconds} seconds</label></p>
        <section id="{part}" aria-labelledby="{part}-heading" aria-live="polite" data-live-part="{part}" data-refresh-seconds="{refreshSeconds}">{content}</section>
        """);

    /// <summary>The script that refreshes every region on the page: once per page, after the regions.</summary>
    public static Html ScriptTag => Html.Of($"""<script src="{ScriptPath}" defer></script>""");

    // The fetch refuses redirects, so an ended session (sent to sign in) leaves the last content shown, not a form.
    // Both sides are compared as the browser serializes them, so an unchanged part is not announced again.
    public const string Script = """
        "use strict";
        (() => {
          for (const region of document.querySelectorAll("[data-live-part]")) {
            const toggle = document.getElementById("live-" + region.dataset.livePart);
            if (!toggle) continue;
            toggle.closest("p").hidden = false;
            const every = Number(region.dataset.refreshSeconds) * 1000;
            const query = new URLSearchParams(location.search);
            query.set("part", region.dataset.livePart);
            const url = location.pathname + "?" + query;
            const refresh = async () => {
              if (toggle.checked) {
                try {
                  const response = await fetch(url, { redirect: "error", cache: "no-store", signal: AbortSignal.timeout(every * 3) });
                  if (response.ok) {
                    const fresh = document.createElement("template");
                    fresh.innerHTML = await response.text();
                    if (fresh.innerHTML !== region.innerHTML) region.replaceChildren(fresh.content);
                  }
                } catch {
                  // Signed out, or serve has stopped: keep what is shown and ask again next time.
                }
              }
              setTimeout(refresh, every);
            };
            setTimeout(refresh, every);
          }
        })();
        """;
}
