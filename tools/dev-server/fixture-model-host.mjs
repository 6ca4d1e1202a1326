/**
 * Serves the test models under `/models/` with the Hugging Face URL layout, so the demo's
 * "test models" switch runs the real loading code offline:
 * `/models/{org}/{name}/resolve/{revision}/{file}` → `test/fixtures/models/{org}/{name}/{file}`.
 */
export function fixtureModelHost() {
  return async function fixtureModelHostMiddleware(ctx, next) {
        const match = /^\/models\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(ctx.path);
        if (match) ctx.url = `/test/fixtures/models/${match[1]}/${match[2]}/${match[3]}`;
        return next();
  };
}
