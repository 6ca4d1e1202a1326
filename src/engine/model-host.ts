/** Where model files come from unless `model-host` says otherwise. */
export const HUGGING_FACE_HUB = 'https://huggingface.co';
