// A service worker for the privacy audit's leak attempts: on install it sends a fetch to the URL
// in its `to` parameter. It runs under its own response's policy; its traffic is not the page's.
const to = new URL(location.href).searchParams.get('to');
self.addEventListener('install', (event) => event.waitUntil(fetch(to, { method: 'POST', body: 'visit text', mode: 'no-cors' }).catch(() => undefined)));
