namespace Gatehouse.Control.Portal;

/// <summary>
/// Keeps a gateway page's backend pools current while it is open: the portal's one script asks the same page for
/// just that part every few seconds and swaps it in when it changed, so the JSON view, the focus and the rest of
/// the page stay as the reader left them. A checkbox turns it off; without scripts the page is as it was served.
/// </summary>
internal static class LiveHealth
{
    public const string ScriptPath = "/portal/live-health.js";

    /// <summary>The query that asks a gateway page for its backend pools alone.</summary>
    public const string Part = "backend-health";

    // Health lives in the data plane's memory, so asking is cheap; Azure's own report moves on the probe interval.
    private const int RefreshSeconds = 3;

    /// <summary>The pools with their health, in a region named by its heading that the script refreshes, and the control that stops it.</summary>
    public static Html Region(Html pools) => Html.Of($"""
        <h2 id="backend-pools">Backend pools</h2>
        <p id="live-health-control" hidden><label><input type="checkbox" id="live-health" checked> Update live health every {RefreshSeconds} seconds</label></p>
        <section id="backend-health" aria-labelledby="backend-pools" aria-live="polite" data-refresh-seconds="{RefreshSeconds}">{pools}</section>
        <script src="{ScriptPath}" defer></script>
        """);

    // The fetch refuses redirects, so an ended session (sent to sign in) leaves the last health shown, not a form.
    // Both sides are compared as the browser serializes them, so an unchanged part is not announced again.
    public const string Script = $$"""
        "use strict";
        (() => {
          const region = document.getElementById("backend-health");
          const toggle = document.getElementById("live-health");
          if (!region || !toggle) return;
          document.getElementById("live-health-control").hidden = false;
          const every = Number(region.dataset.refreshSeconds) * 1000;
          const url = location.pathname + "?part={{Part}}";
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
        })();
        """;
}
