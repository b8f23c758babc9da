/** The dashboard's one HTML page: a shell the bundled script fills (no inline script, for the CSP). */

/** The page, with the token where the script finds it. */
export function pageHtml(token: string): string {
  const t = encodeURIComponent(token);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="gitswarm-token" content="${t}">
<title>gitswarm dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css?token=${t}">
<script type="module" src="/assets/app.js?token=${t}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <h1>gitswarm</h1>
  <nav aria-label="Pages">
    <a href="#/board">Board</a>
    <a href="#/agents">Agents</a>
    <a href="#/queue">Merge queue</a>
    <a href="#/costs">Costs</a>
  </nav>
  <p id="run" class="run" aria-live="polite"></p>
  <div id="run-actions" class="actions"></div>
</header>
<main id="main" tabindex="-1"></main>
<p id="toast" class="toast" role="status" aria-live="polite"></p>
</body>
</html>
`;
}
