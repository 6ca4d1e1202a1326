// A same-origin worker for the privacy audit's leak attempts: it sends whatever URL it is given
// a fetch. Started from a URL, it runs under its own response's policy (the worker policy), not
// the page's, so the audit checks that this policy blocks it too.
self.onmessage = ({ data }) => {
  void fetch(data, { method: 'POST', body: 'visit text', mode: 'no-cors' }).catch(() => undefined);
};
