import { ContextConsumer } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ChatCommand, ChatCommandDetail, ChatEntry, ChatMessageDetail, Intent, IntentClassifier } from '../../chat/chat-types.js';
import { renderMarkdown } from '../../chat/markdown.js';
import { DEFAULT_ROUTER_MODEL, EmbeddingIntentClassifier } from '../../chat/embedding-classifier.js';
import { RuleIntentClassifier } from '../../chat/rule-classifier.js';
import { visitContext } from '../../chat/visit-context.js';
import { engineContext } from '../../context.js';
import type { SlmEngine } from '../../engine/slm-engine.js';
import type { ChatMessage } from '../../engine/types.js';
import { SlmError, isAbort } from '../../errors/slm-error.js';
import '../../events.js';
import type { ClinicalNote, NoteExportFormat } from '../../note/note-types.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { chatStyles } from './slm-chat.styles.js';

/** What the chat needs of a note: `<slm-note>` has it. */
export interface ChatNoteTarget {
  readonly note: ClinicalNote;
  addItem(sectionId: string, text: string): unknown;
  download(format: NoteExportFormat): void;
  reset(): void;
}

const DEFAULT_SYSTEM_PROMPT = 'You are a concise assistant for a clinician. Answer briefly, in Markdown. If you are not sure, say so.';
const HISTORY_CHARS = 8000;

/**
 * A chat with the provider's language model: streaming answers rendered as sanitised
 * Markdown, stop, regenerate, copy. Each message is routed first: commands the app handles
 * itself ("add to plan: …", "new visit", "clear chat", "export note"), quick questions to the
 * provider's `small-llm`, reasoning to the big `llm`. Inside a provider with a transcriber
 * and a note, questions can be about the visit: its transcript and note go along as data.
 *
 * @summary Chat with the on-device language model, optionally about the current visit.
 *
 * @fires slm-chat-message - A message was added, or an answer finished (`ChatMessageDetail`).
 * @fires slm-chat-command - A command was recognised (`ChatCommandDetail`); cancel it to handle the command yourself.
 * @fires slm-error - The model failed, or a message was too long. What was written so far is kept.
 *
 * @csspart log - The list of messages.
 * @csspart message - One message; also `user` or `assistant`.
 * @csspart user - A message of the clinician.
 * @csspart assistant - An answer.
 * @csspart meta - Who answered, and the actions of a message.
 * @csspart copy-button - Copies an answer.
 * @csspart regenerate-button - Asks again for the last answer.
 * @csspart composer - The input row.
 * @csspart input - The message input.
 * @csspart send-button - Sends the message.
 * @csspart stop-button - Stops the answer being written.
 * @csspart options - The "ask about this visit" switch.
 * @csspart jump-button - Scrolls back to the newest message after reading up.
 * @csspart error - Why the last message could not be sent.
 *
 * @cssprop [--slm-chat-height=32rem] - Most height the chat takes before its log scrolls.
 * @cssprop [--slm-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--slm-color-text=#1f2328] - Text colour.
 * @cssprop [--slm-color-accent=#0b6bcb] - Send button, focus rings, the clinician's messages.
 * @cssprop [--slm-color-danger=#c62828] - Failed answers.
 * @cssprop [--slm-color-muted=#59636e] - Secondary text.
 * @cssprop [--slm-color-surface=#f6f8fa] - The log's background.
 * @cssprop [--slm-radius=6px] - Corner radius.
 */
@customElement('slm-chat')
export class SlmChat extends LitElement {
  static override styles = [themeStyles, controlStyles, chatStyles];

  /** Hint shown in the empty input. */
  @property() placeholder = 'Ask a question (Enter sends, Shift+Enter for a new line)';

  /** Send the visit's transcript and note with each question (when there is a visit). */
  @property({ type: Boolean, attribute: 'visit-context', reflect: true }) visitContext = true;

  /** Most tokens one answer may have. */
  @property({ type: Number, attribute: 'max-tokens' }) maxTokens = 512;

  /** Longest message accepted, in characters; longer ones are refused with a readable error. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 16_000;

  /** Instructions the model gets before every conversation; the visit, when sent, is appended as data. */
  @property({ attribute: 'system-prompt' }) systemPrompt = DEFAULT_SYSTEM_PROMPT;

  /**
   * How messages are routed: `embedding` compares them with labelled examples through a small
   * sentence-embedding model (`router-model`, on WASM), `rules` uses wording alone, `auto`
   * (default) uses the embedding model when the provider has a `small-llm` to route to and
   * rules otherwise. Commands are always recognised by rules, which also stand in whenever
   * the embedding model cannot load.
   */
  @property() router: 'auto' | 'embedding' | 'rules' = 'auto';

  /** The sentence-embedding model of the `embedding` router, from the provider's model host. */
  @property({ attribute: 'router-model' }) routerModel = DEFAULT_ROUTER_MODEL;

  /** A classifier of your own (anything with `classify(text)`); it replaces `router`. */
  @property({ attribute: false }) classifier: IntentClassifier | null = null;

  /** The note commands act on; default: the `<slm-note>` in the same provider. */
  @property({ attribute: false }) noteTarget: ChatNoteTarget | null = null;

  @state() private entries: ChatEntry[] = [];
  @state() private busy = false;
  @state() private stuckToBottom = true;
  @state() private inputError = '';

  /** How many messages each route took since the chat was created: for the router's report. */
  readonly routeCounts = { app: 0, small: 0, main: 0 };

  @query('[part~="log"]') private log!: HTMLElement;
  @query('textarea') private input!: HTMLTextAreaElement;
  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: (engine) => this.watch(engine) });
  private watched: SlmEngine | null = null;
  private running: AbortController | null = null;
  private readonly rules = new RuleIntentClassifier();
  private embedding: EmbeddingIntentClassifier | null = null;

  get engine(): SlmEngine | undefined {
    return this.engineConsumer.value;
  }

  /** The conversation. Setting it restores a saved one. */
  get messages(): ChatEntry[] {
    return this.entries;
  }

  set messages(messages: ChatEntry[]) {
    // An answer saved while it streamed was cut off by the reload: it is shown as stopped.
    this.entries = messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped' } : m));
  }

  /** Sends a message (the input's text when none is given). Resolves when it is answered. */
  async send(text = this.input?.value ?? ''): Promise<void> {
    const content = text.trim();
    if (!content || this.busy) return;
    if (content.length > this.maxLength) {
      // The text stays in the input: nothing typed is lost.
      this.inputError = `This message has ${content.length.toLocaleString('en')} characters; the limit is ${this.maxLength.toLocaleString('en')}. Shorten it or split it.`;
      this.fail(new SlmError('invalid-argument', this.inputError));
      return;
    }
    this.inputError = '';
    if (this.input && text === this.input.value) this.input.value = '';
    const user = this.add({ role: 'user', content });
    let intent: Intent;
    try {
      intent = await this.activeClassifier().classify(content);
    } catch {
      intent = new RuleIntentClassifier().classify(content);
    }
    if (intent.kind === 'command') return this.runCommand(intent.command, intent.argument, content);
    await this.answer(user, intent.kind === 'simple' && this.engine?.small ? 'small' : 'main');
  }

  /** Stops the answer being written; what was written stays. */
  stop(): void {
    this.running?.abort(new SlmError('aborted', 'Stopped.'));
  }

  /** Drops the last answer and asks again. */
  async regenerate(): Promise<void> {
    if (this.busy) return;
    const lastUser = this.entries.findLastIndex((m) => m.role === 'user');
    if (lastUser === -1) return;
    const previous = this.entries[lastUser + 1];
    this.entries = this.entries.slice(0, lastUser + 1);
    await this.answer(this.entries[lastUser], previous?.answeredBy === 'small' ? 'small' : 'main');
  }

  /** Stops any answer and empties the conversation. */
  clear(): void {
    this.stop();
    this.entries = [];
  }

  override render() {
    const note = this.findNote();
    const hasVisit = (this.engine?.transcript.segments.length ?? 0) > 0 || !!note?.note.sections.some((s) => s.items.length);
    const last = this.entries.at(-1);
    return html`
      <div part="log" role="log" aria-label="Conversation" tabindex="0" data-placeholder="No messages yet." @scroll=${this.onScroll}>${repeat(
        this.entries,
        (m) => m.id,
        (m) => this.renderMessage(m, m === last),
      )}</div>
      ${this.stuckToBottom ? nothing : html`<button part="jump-button" @click=${this.jumpToLatest}>↓ Latest</button>`}
      <div part="composer">
        <label class="visually-hidden" for="input">Message</label>
        <textarea id="input" part="input" rows="1" placeholder=${this.placeholder} aria-invalid=${this.inputError ? 'true' : 'false'} aria-describedby=${this.inputError ? 'input-error' : nothing} @keydown=${this.onKeyDown}></textarea>
        ${this.busy
          ? html`<button part="stop-button" @click=${() => this.stop()}>Stop</button>`
          : html`<button part="send-button" @click=${() => void this.send()}>Send</button>`}
      </div>
      ${this.inputError ? html`<p part="error" id="input-error" role="alert">${this.inputError}</p>` : nothing}
      ${hasVisit
        ? html`<label part="options"><input type="checkbox" .checked=${this.visitContext} @change=${(e: Event) => (this.visitContext = (e.target as HTMLInputElement).checked)} /> Ask about this visit (its transcript and note go with each question)</label>`
        : nothing}
    `;
  }

  private renderMessage(message: ChatEntry, isLast: boolean) {
    if (message.role === 'user') return html`<article part="message user" aria-label="You">${message.content}</article>`;
    const who = message.answeredBy === 'app' ? 'App' : message.answeredBy === 'small' ? 'Small model' : 'Model';
    return html`<article part="message assistant" aria-label="Answer" aria-busy=${message.status === 'streaming' ? 'true' : 'false'} data-status=${message.status ?? 'done'}>
      <div class="content">${unsafeHTML(renderMarkdown(message.content || (message.status === 'streaming' ? '…' : '')))}</div>
      <div part="meta">
        <span>${who}${message.status === 'stopped' ? ' · stopped' : message.status === 'error' ? ' · failed' : ''}</span>
        ${message.status === 'streaming'
          ? nothing
          : html`<button part="copy-button" aria-label="Copy answer" @click=${() => void navigator.clipboard?.writeText(message.content)}>Copy</button>
              ${isLast && message.answeredBy !== 'app' ? html`<button part="regenerate-button" aria-label="Regenerate answer" @click=${() => void this.regenerate()}>Regenerate</button>` : nothing}`}
      </div>
    </article>`;
  }

  protected override updated(): void {
    // Any update can change the log's height (a new message, a longer answer, the composer
    // growing), so a reader at the bottom is kept there after each one.
    if (this.stuckToBottom && this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  private add(message: Omit<ChatEntry, 'id' | 'createdAt'>): ChatEntry {
    const entry: ChatEntry = { id: crypto.randomUUID(), createdAt: Date.now(), ...message };
    this.entries = [...this.entries, entry];
    this.announce(entry);
    return entry;
  }

  private patch(entry: ChatEntry, changes: Partial<ChatEntry>): ChatEntry {
    const next = { ...entry, ...changes };
    this.entries = this.entries.map((m) => (m.id === entry.id ? next : m));
    return next;
  }

  private announce(message: ChatEntry): void {
    this.dispatchEvent(new CustomEvent<ChatMessageDetail>('slm-chat-message', { detail: { message, messages: this.entries }, bubbles: true, composed: true }));
  }

  private async answer(question: ChatEntry, model: 'small' | 'main'): Promise<void> {
    const engine = this.engine;
    if (!engine) {
      this.fail(new SlmError('not-loaded', 'Put <slm-chat> inside an <slm-provider> that names a language model (llm="…").'));
      return;
    }
    this.routeCounts[model]++;
    let reply = this.add({ role: 'assistant', content: '', status: 'streaming', answeredBy: model });
    const controller = new AbortController();
    this.running = controller;
    this.busy = true;
    try {
      const result = await engine.generate(this.prompt(question), {
        priority: 'chat',
        model,
        signal: controller.signal,
        maxTokens: this.maxTokens,
        onToken: (token) => (reply = this.patch(reply, { content: reply.content + token })),
      });
      reply = this.patch(reply, { content: result.text || reply.content, status: 'done' });
    } catch (error) {
      const stopped = isAbort(error);
      reply = this.patch(reply, { status: stopped ? 'stopped' : 'error' });
      if (!stopped) this.fail(error);
    } finally {
      this.running = null;
      this.busy = false;
      this.announce(reply);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.watch(undefined);
    this.embedding?.dispose();
    this.embedding = null;
  }

  /** The classifier `router` asks for, made on first use. */
  private activeClassifier(): IntentClassifier {
    if (this.classifier) return this.classifier;
    const engine = this.engine;
    const wantsModel = this.router === 'embedding' || (this.router === 'auto' && !!engine?.small);
    if (!wantsModel || !engine) return this.rules;
    if (this.embedding?.model !== this.routerModel) {
      this.embedding?.dispose();
      const { modelHost, wasmPaths, useBrowserCache } = engine.options;
      this.embedding = new EmbeddingIntentClassifier({ model: this.routerModel, host: { host: modelHost, wasmPaths, useBrowserCache }, fallback: this.rules, onError: (error) => this.fail(error) });
    }
    return this.embedding;
  }

  /** The "ask about this visit" switch appears once there is a visit to ask about. */
  private watch(engine: SlmEngine | undefined): void {
    this.watched?.transcript.removeEventListener('slm-transcript', this.onTranscript);
    this.watched = engine ?? null;
    this.watched?.transcript.addEventListener('slm-transcript', this.onTranscript);
  }

  private readonly onTranscript = () => this.requestUpdate();

  /** System prompt, the visit as data, then as much recent conversation as fits. */
  private prompt(question: ChatEntry): ChatMessage[] {
    const visit = this.visitContext && this.engine ? visitContext(this.engine.transcript.segments, this.findNote()?.note ?? null) : null;
    const messages: ChatMessage[] = [{ role: 'system', content: visit ? `${this.systemPrompt}\n\n${visit}` : this.systemPrompt }];
    const history: ChatMessage[] = [];
    let chars = 0;
    for (const m of this.entries.slice(0, this.entries.indexOf(question) + 1).reverse()) {
      if (m.answeredBy === 'app' || (m.role === 'assistant' && !m.content)) continue;
      chars += m.content.length;
      if (chars > HISTORY_CHARS && history.length) break;
      history.unshift({ role: m.role, content: m.content });
    }
    return [...messages, ...history];
  }

  private runCommand(command: ChatCommand, argument: string | undefined, message: string): void {
    this.routeCounts.app++;
    const event = new CustomEvent<ChatCommandDetail>('slm-chat-command', { detail: { command, argument, message }, bubbles: true, composed: true, cancelable: true });
    if (!this.dispatchEvent(event)) return;
    const note = this.findNote();
    let reply: string;
    switch (command) {
      case 'clear':
        this.entries = [];
        return;
      case 'new-visit':
        this.engine?.transcript.clear();
        note?.reset();
        this.entries = [];
        reply = 'Started a new visit: the transcript, note and chat are empty.';
        break;
      case 'add-to-plan': {
        const plan = note?.note.sections.find((s) => s.id === 'plan') ?? note?.note.sections.at(-1);
        if (!note || !plan || !argument) {
          reply = 'There is no note with a plan to add to.';
          break;
        }
        note.addItem(plan.id, argument);
        reply = `Added to **${plan.title}**: ${argument}`;
        break;
      }
      case 'export': {
        if (!note) {
          reply = 'There is no note to export.';
          break;
        }
        const format: NoteExportFormat = argument === 'fhir' || argument === 'json' ? 'fhir' : argument === 'text' ? 'text' : 'markdown';
        note.download(format);
        reply = `Exported the note as ${format === 'fhir' ? 'FHIR R4 JSON' : format === 'text' ? 'plain text' : 'Markdown'}.`;
        break;
      }
    }
    this.add({ role: 'assistant', content: reply, status: 'done', answeredBy: 'app' });
  }

  private findNote(): ChatNoteTarget | null {
    return this.noteTarget ?? (this.closest('slm-provider')?.querySelector('slm-note') as ChatNoteTarget | null) ?? null;
  }

  private fail(error: unknown): void {
    const slm = error instanceof SlmError ? error : new SlmError('generation-failed', String(error), { cause: error });
    this.dispatchEvent(new CustomEvent('slm-error', { detail: { error: slm, code: slm.code, message: slm.message, kind: 'llm' }, bubbles: true, composed: true }));
  }

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    } else if (event.key === 'Escape' && this.busy) {
      event.preventDefault();
      this.stop();
    }
  };

  private readonly onScroll = () => {
    const log = this.log;
    // Reading back up stops the auto-scroll; coming back down resumes it.
    this.stuckToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
  };

  private readonly jumpToLatest = () => {
    this.stuckToBottom = true;
    this.log.scrollTop = this.log.scrollHeight;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-chat': SlmChat;
  }
  interface HTMLElementEventMap {
    'slm-chat-message': CustomEvent<ChatMessageDetail>;
    'slm-chat-command': CustomEvent<ChatCommandDetail>;
  }
}
