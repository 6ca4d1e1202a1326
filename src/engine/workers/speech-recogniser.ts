import type { ModelFiles } from '../model-files/model-files.js';
import { DeferredSessions } from './deferred-sessions.js';
import { looksLikeOnnxModel } from './onnx-structure.js';

type Transformers = typeof import('@huggingface/transformers');
type Tokenizer = import('@huggingface/transformers').PreTrainedTokenizer;
export type Recogniser = Awaited<ReturnType<typeof import('@huggingface/transformers').pipeline<'automatic-speech-recognition'>>>;
type ProgressInfo = Record<string, unknown>;

const TASK = 'automatic-speech-recognition';

/**
 * What a runtime says when a model file's bytes are not a model: onnxruntime's protobuf
 * parser, JSON.parse on a config or tokenizer.
 */
export const UNREADABLE_FILE = /protobuf parsing failed|failed to load model|is not valid JSON|Unexpected (?:token|end of JSON|non-whitespace)|JSON\.parse|Bad control character|in JSON at position/i;

export interface RecogniserOptions {
  device: string;
  dtype: unknown;
  progress_callback: (info: ProgressInfo) => void;
  /** Whether a model of this type (`config.model_type`) has its decoder's session built after the load (see `DeferredSessions`). */
  deferDecoder?: (modelType: string) => boolean;
}

/** A speech model's decoder file (`onnx/decoder_model_merged_quantized.onnx` and the like). */
const DECODER_FILE = /(^|\/)decoder[^/]*\.onnx$/;

/**
 * Transformers.js's `pipeline('automatic-speech-recognition', …)` in its parts (as of 4.3), with one
 * change: the tokenizer's files are downloaded and kept during the load like every other file, but
 * the tokenizer is built after the model is ready (`DeferredTokenizer`). A real Whisper's
 * tokenizer.json is about 2.5 MB (50,000 BPE merges); parsing and building it takes 0.2–0.4 s of
 * the worker's one thread, and in `pipeline()` that came before the sessions' build, so it held back
 * every load's readiness, a warm reload's most. Only a reading's text needs it, and a reading's
 * encoder alone takes longer than the build.
 *
 * With `deferDecoder`, the decoder's session is built after the load too (`sessions`): the worker
 * builds it as soon as the model's ready answer is out, and every reading waits for it.
 */
export async function loadSpeechRecogniser(
  library: Transformers,
  files: ModelFiles,
  modelId: string,
  { device, dtype, progress_callback, deferDecoder }: RecogniserOptions,
): Promise<{ recogniser: Recogniser; tokenizer: DeferredTokenizer | null; sessions: DeferredSessions | null }> {
  const { ModelRegistry, AutoConfig, AutoModelForSpeechSeq2Seq, AutoModelForCTC, AutomaticSpeechRecognitionPipeline } = library;
  const expected = await ModelRegistry.get_pipeline_files(TASK, modelId, { device, dtype } as never);
  const sizes = await fileSizes(library, modelId, expected);
  const progress = totalProgress(sizes, progress_callback);
  const options = { progress_callback: progress, device, dtype } as never;
  const config = await AutoConfig.from_pretrained(modelId, options);
  const modelType = (config as { model_type?: string }).model_type ?? '';
  const modelClass = [AutoModelForSpeechSeq2Seq, AutoModelForCTC].find((cls) => (cls as unknown as { supports(type: string): boolean }).supports(modelType));
  if (!modelClass) throw new Error(`Unsupported model type "${modelType}" for task "${TASK}".`);
  const tokenizerFiles = expected.filter((file) => file === 'tokenizer.json' || file === 'tokenizer_config.json');
  // The decoder's bytes are told apart by their length: the library hands the runtime bytes, not names.
  // Bytes the runtime could not even parse are built at once, so they fail the load, as ever: the
  // load's own repair (a damaged cached copy deleted, the files fetched again) then applies.
  const decoderBytes = new Set(Object.entries(sizes).flatMap(([file, size]) => (DECODER_FILE.test(file) && size.total > 0 ? [size.total] : [])));
  const defer = (bytes: Uint8Array) => decoderBytes.has(bytes.byteLength) && looksLikeOnnxModel(bytes);
  const sessions = deferDecoder?.(modelType) && decoderBytes.size > 0 ? new DeferredSessions(await import('onnxruntime-web/webgpu'), defer) : null;
  try {
    const [model, processor, tokenizerTexts] = await Promise.all([
      modelClass.from_pretrained(modelId, { ...(options as object), config } as never),
      expected.includes('preprocessor_config.json') ? loadProcessor(library, modelId, options) : null,
      tokenizerFiles.length === 2 ? readTokenizerFiles(library, files, modelId, progress) : null,
    ]);
    const recogniser = new AutomaticSpeechRecognitionPipeline({ task: TASK, model, processor } as never) as unknown as Recogniser;
    const tokenizer = tokenizerTexts && new DeferredTokenizer(library, tokenizerTexts);
    return { recogniser, tokenizer, sessions: sessions?.deferred ? sessions : null };
  } finally {
    sessions?.restore();
  }
}

/**
 * The processor `AutoProcessor` would make, but for Whisper's and Moonshine's kind (a feature
 * extractor and a tokenizer) without its tokenizer: `AutoProcessor` builds one of its own, a second
 * build of the same files beside the pipeline's. The recogniser's tokenizer joins it once built
 * (`withTokenizer`). A processor of any other make is left to the library.
 */
async function loadProcessor(library: Transformers, modelId: string, options: never): Promise<unknown> {
  const extractor = await library.AutoFeatureExtractor.from_pretrained(modelId, options);
  const name = (extractor as unknown as { config: { processor_class?: string } }).config.processor_class;
  type ProcessorClass = (new (config: object, components: object, chatTemplate: null) => unknown) & { classes: string[]; uses_processor_config: boolean; uses_chat_template_file: boolean };
  const Processor = library.Processor as unknown as ProcessorClass;
  const named = name ? (library as unknown as Record<string, ProcessorClass | undefined>)[name] : Processor;
  const plain =
    named &&
    (named === Processor || named.prototype instanceof Processor) &&
    !named.uses_processor_config &&
    !named.uses_chat_template_file &&
    named.classes.filter((component) => component in named).every((component) => component === 'tokenizer_class' || component === 'feature_extractor_class');
  return plain ? new named({}, { feature_extractor: extractor }, null) : library.AutoProcessor.from_pretrained(modelId, options);
}

/** The recogniser ready to write out what it reads: its tokenizer built, in the pipeline and in a processor made without one. */
export async function withTokenizer(recogniser: Recogniser, tokenizer: DeferredTokenizer): Promise<Recogniser> {
  const built = await tokenizer.get();
  recogniser.tokenizer = built;
  const processor = recogniser.processor as unknown as { components?: Record<string, unknown>; constructor: { tokenizer_class?: unknown } };
  if (processor?.components && processor.constructor.tokenizer_class && !processor.components.tokenizer) processor.components.tokenizer = built;
  return recogniser;
}

/** The tokenizer's two files, parsed. */
interface TokenizerFiles {
  json: unknown;
  config: { tokenizer_class?: string };
}

/**
 * A recogniser's tokenizer, built at its first use (or when the worker is idle after the load) from
 * the files the load read and parsed. A build that fails is kept and thrown at each use.
 */
export class DeferredTokenizer {
  private built: Promise<Tokenizer> | null = null;

  constructor(
    private readonly library: Transformers,
    private readonly files: TokenizerFiles,
  ) {}

  get(): Promise<Tokenizer> {
    this.built ??= Promise.resolve().then(() => this.build());
    return this.built;
  }

  /** AutoTokenizer.from_pretrained's own choice of class, on files already parsed. */
  private build(): Tokenizer {
    const { json, config } = this.files;
    // Some tokenizers are saved with the "Fast" suffix; the library's classes have none.
    const name = config.tokenizer_class?.replace(/Fast$/, '') ?? 'PreTrainedTokenizer';
    const classes = this.library as unknown as Record<string, new (json: unknown, config: unknown) => Tokenizer>;
    const TokenizerClass = classes[name]?.prototype instanceof this.library.PreTrainedTokenizer ? classes[name] : classes.PreTrainedTokenizer;
    return new TokenizerClass(json, config);
  }
}

/**
 * The tokenizer's two files, as Transformers.js would read them (from the cache when it holds them,
 * else from the host through the retrying, pin-checking fetch, then kept), and parsed: a copy that is
 * not JSON fails the load like any unreadable file, so a damaged cached one is repaired by the load's
 * own retry from the host, and a model with a broken tokenizer is never reported ready. Parsing is a
 * small part of the build (the merges and vocabulary tables are the rest), which waits until after.
 */
async function readTokenizerFiles(library: Transformers, files: ModelFiles, modelId: string, progress: (info: ProgressInfo) => void): Promise<TokenizerFiles> {
  const read = async (file: string) => {
    const url = fileUrl(library, modelId, file);
    progress({ status: 'initiate', name: modelId, file });
    const cached = await files.cache?.match(url);
    const response = cached ?? (await files.fetch(url));
    if (!response.ok) {
      const what = response.status === 404 || response.status === 410 ? 'Could not locate file' : `Error (${response.status}) occurred while trying to load file`;
      throw new Error(`${what}: "${url}".`);
    }
    if (!cached) await files.cache?.putBehind(url, response.clone());
    const text = await response.text();
    const bytes = new TextEncoder().encode(text).length;
    progress({ status: 'progress', name: modelId, file, loaded: bytes, total: bytes, progress: 100 });
    progress({ status: 'done', name: modelId, file });
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      // Worded to match UNREADABLE_FILE, and naming the file, which JSON.parse does not.
      throw new Error(`${file} of ${modelId} is not valid JSON (${String(error)})`);
    }
  };
  const [json, config] = await Promise.all([read('tokenizer.json'), read('tokenizer_config.json')]);
  return { json, config: (config ?? {}) as TokenizerFiles['config'] };
}

/** Where Transformers.js fetches a model's file from, and the key it caches it under. */
function fileUrl(library: Transformers, modelId: string, file: string): string {
  const { remoteHost, remotePathTemplate } = library.env;
  const folder = remotePathTemplate.replaceAll('{model}', modelId).replaceAll('{revision}', 'main');
  return `${remoteHost.replace(/\/$/, '')}/${folder.replace(/^\/|\/$/g, '')}/${file}`;
}

/** Every expected file's size (zero where the host does not say), asked before any is downloaded, as `pipeline()` does. */
async function fileSizes(library: Transformers, modelId: string, expected: string[]): Promise<Record<string, { loaded: number; total: number }>> {
  const sizes: Record<string, { loaded: number; total: number }> = {};
  try {
    const found = await Promise.all(expected.map((file) => library.ModelRegistry.get_file_metadata(modelId, file)));
    found.forEach((size, i) => {
      if (size.exists) sizes[expected[i]] = { loaded: 0, total: size.size ?? 0 };
    });
  } catch {
    // Sizes are best-effort, as in pipeline(): without them each file's total arrives with its download.
  }
  return sizes;
}

/**
 * What `pipeline()` does for its progress totals (its DefaultProgressCallback, which the library does
 * not export): every expected file is sized first (`fileSizes`), and each file's progress is reported
 * with the running totals of all of them (`progress_total`), so the bar's whole is right from the start.
 */
function totalProgress(sizes: Record<string, { loaded: number; total: number }>, callback: (info: ProgressInfo) => void): (info: ProgressInfo) => void {
  const loading = structuredClone(sizes);
  return (info) => {
    if (info.status === 'progress' && typeof info.file === 'string') {
      loading[info.file] = { loaded: Number(info.loaded ?? 0), total: Number(info.total ?? 0) };
      const files = structuredClone(loading);
      const loaded = Object.values(files).reduce((sum, f) => sum + f.loaded, 0);
      const total = Object.values(files).reduce((sum, f) => sum + f.total, 0);
      callback({ status: 'progress_total', name: info.name, progress: total > 0 ? (loaded / total) * 100 : 0, loaded, total, files });
    }
    callback(info);
  };
}
