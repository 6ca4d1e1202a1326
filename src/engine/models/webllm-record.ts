/** The fields of WebLLM's `ModelRecord` the registry reads (kept local so no type pulls the package in). */
export interface WebLlmModelRecord {
  model: string;
  model_id: string;
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  required_features?: string[];
  overrides?: Record<string, unknown>;
}
