/** An error the replay endpoint answers with, in the OpenAI error body shape. */
export interface EndpointErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Builds an OpenAI-shaped error body; `message` is written for the person reading the client's error. */
export function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): EndpointErrorBody {
  return { error: { message, type, param, code } };
}
