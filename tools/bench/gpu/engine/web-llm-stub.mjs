// Stands in for @mlc-ai/web-llm in the Node bundle: the bench runs Transformers.js only, so
// WebLLM's backend (the one importer left; the registry reads a generated copy of WebLLM's
// model list) is never loaded.
export const prebuiltAppConfig = { model_list: [] };
