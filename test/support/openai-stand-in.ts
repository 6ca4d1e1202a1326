import { executeServerCommand } from '@web/test-runner-commands';

/** What the stand-in OpenAI-compatible server logged of one request. */
export interface StandInRequest {
  method: string;
  path: string;
  origin: string | null;
  cookie: string | null;
  authorization: string | null;
  referer: string | null;
  body: Record<string, unknown> | null;
  /** The client went away before the answer ended. */
  aborted: boolean;
  ended: boolean;
}

/** The stand-in server's base URL (`http://127.0.0.1:port/v1`), for `llm-endpoint`. */
export const standInUrl = () => executeServerCommand<string, { action: 'url' }>('openai-stand-in', { action: 'url' });
export const standInRequests = () => executeServerCommand<StandInRequest[], { action: 'requests' }>('openai-stand-in', { action: 'requests' });
export const resetStandIn = () => executeServerCommand('openai-stand-in', { action: 'reset' });
/** Replies for the next completions, in order; `tokenDelayMs` paces every token from now on. */
export const scriptStandIn = (replies: string[], tokenDelayMs = 0) => executeServerCommand('openai-stand-in', { action: 'script', replies, tokenDelayMs });
/** `{ status, message }`: the next completion fails with that HTTP status; `{ stall }`/`{ crash }`: its stream stops. */
export const faultStandIn = (fault: { status?: number; message?: string; stall?: boolean; crash?: boolean }) => executeServerCommand('openai-stand-in', { action: 'fault', fault });
