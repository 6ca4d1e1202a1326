// Stands in for @mlc-ai/web-llm in the Node bundle: the model registry reads only its list of
// prebuilt models, and the bench names its model by repo id, which needs none of them.
export const prebuiltAppConfig = { model_list: [] };
