/** Messages between the OpenAI route's service worker and the page that runs the model. */
export interface RouteRequest {
  type: 'slm-openai-request';
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
}

export type RouteMessage =
  | { type: 'head'; status: number; headers: Array<[string, string]> }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' };
