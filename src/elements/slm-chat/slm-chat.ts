import { ContextConsumer } from '@lit/context';
import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ChatCommandDetail, ChatEntry, ChatMessageDetail, IntentClassifier } from '../../chat/chat-types.js';
import { Conversation } from '../../chat/conversation.js';
import { DEFAULT_ROUTER_MODEL, EmbeddingIntentClassifier } from '../../chat/embedding-classifier.js';
import { RuleIntentClassifier } from '../../chat/rule-classifier.js';
import { engineContext } from '../../context.js';
import type { SlmEngine } from '../../engine/slm-engine.js';
import '../../events.js';
import { sessionContext } from '../../session/session-context.js';
import type { VisitSession } from '../../session/visit-session.js';
import { SlmElement } from '../internal/slm-element.js';
import { renderOnEngineChange } from '../internal/engine-watch.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { chatStyles } from './slm-chat.styles.js';
import { LinkGuard } from './internal/link-guard.js';
import { MessageHtml } from './internal/message-html.js';

const DEFAULT_SYSTEM_PROMPT = 'You are a concise assistant for a clinician. Answer briefly, in Markdown. If you are not sure, say so.';

/**
 * A chat with the provider's language model: streaming answers rendered as sanitised
 * Markdown, stop, regenerate, copy. Each message is routed first: commands the app handles
 * itself ("add to plan: …", "new visit", "clear chat", "export note"), quick questions to the
 * provider's `small-llm`, reasoning to the big `llm`. Questions can be about the visit: the
 * session's transcript and note go along as data. "New visit" and "clear chat" ask for a yes
 * first (buttons, or typing yes or no). The conversation belongs to the visit session, so it
 * is stored with the visit and starts empty in a new one. Links the model writes show their
 * whole address and open only after a yes in the chat (an address can carry visit text).
 * When the language models run on a server (`llm-endpoint` on the provider), a notice above
 * the input names the host messages are sent to.
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
 * @csspart confirm-button - Says yes to a command that waits for it (new visit, clear chat).
 * @csspart cancel-button - Says no to it.
 * @csspart link - A link the model wrote (it shows its whole address; activating it asks first).
 * @csspart link-confirm - The question before leaving the app for a model's link.
 * @csspart link-url - The whole address in that question.
 * @csspart link-open-button - Opens the link in a new tab (`noopener`, `noreferrer`).
 * @csspart link-cancel-button - Stays in the app.
 * @csspart remote-notice - Says that messages (and the visit, when asked about it) leave the device, and for which host.
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
export class SlmChat extends SlmElement {
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

  @state() private busy = false;
  @state() private stuckToBottom = true;
  @state() private inputError = '';

  @query('[part~="log"]') private log!: HTMLElement;
  @query('textarea') private input!: HTMLTextAreaElement;
  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: (engine) => this.watchEngine(engine) });
  private unwatchEngine: (() => void) | null = null;
  private readonly sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: (session) => this.follow(session) });
  private conversation: Conversation | null = null;
  private unfollow: Array<() => void> = [];
  private readonly announced = new Map<string, ChatEntry['status']>();
  private savedMessages: ChatEntry[] | null = null;
  private readonly rules = new RuleIntentClassifier();
  private embedding: EmbeddingIntentClassifier | null = null;
  private readonly markdown = new MessageHtml();
  private readonly links = new LinkGuard(this);

  get engine(): SlmEngine | undefined {
    return this.engineConsumer.value;
  }

  /** The visit session whose chat this is. */
  get session(): VisitSession | undefined {
    return this.sessionConsumer.value;
  }

  /** How many messages each route took since the chat was created: for the router's report. */
  get routeCounts(): { app: number; small: number; main: number } {
    return this.conversation?.routeCounts ?? { app: 0, small: 0, main: 0 };
  }

  /** The conversation of the visit. Setting it puts a saved one back (it is not stored again). */
  get messages(): ChatEntry[] {
    return [...(this.session?.chat ?? [])];
  }

  set messages(messages: ChatEntry[]) {
    // A framework may set it before the element is connected and has found its session.
    if (this.session) this.session.restoreChat(messages);
    else this.savedMessages = messages;
  }

  /** Sends a message (the input's text when none is given). Resolves when it is answered. */
  async send(text = this.input?.value ?? ''): Promise<void> {
    const conversation = this.conversation;
    if (!conversation || !text.trim()) return;
    // Too long, or sent while an answer is being written: refused, and the text stays in the input.
    const refused = conversation.check(text);
    if (refused) {
      // The text stays in the input: nothing typed is lost.
      this.inputError = refused.message;
      this.fail(refused);
      return;
    }
    this.inputError = '';
    if (this.input && text === this.input.value) this.input.value = '';
    await conversation.send(text);
  }

  /** Stops the answer being written; what was written stays. */
  stop(): void {
    this.conversation?.stop();
  }

  /** Asks again for the last answer. */
  async regenerate(): Promise<void> {
    await this.conversation?.regenerate();
  }

  /** Answers the command waiting for a yes or no (new visit, clear chat). */
  async confirm(yes = true): Promise<void> {
    const pending = this.conversation?.pendingConfirmation;
    if (pending) await this.conversation!.confirm(pending.id, yes);
  }

  /** Stops any answer and empties this visit's chat. */
  clear(): void {
    this.conversation?.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.session && !this.conversation) this.follow(this.session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.watchEngine(undefined);
    this.follow(undefined);
    this.embedding?.dispose();
    this.embedding = null;
  }

  override render() {
    const session = this.session;
    const chat = session?.chat ?? [];
    const hasVisit = !!session && !session.isEmpty;
    const last = chat.at(-1);
    this.markdown.retain(new Set(chat.map((m) => m.id)));
    return html`
      <div part="log" role="log" aria-label="Conversation" tabindex="0" data-placeholder="No messages yet." @scroll=${this.onScroll} @click=${this.links.onActivate} @keydown=${this.links.onActivate}>${repeat(
        chat,
        (m) => m.id,
        (m) => this.renderMessage(m, m === last),
      )}</div>
      ${this.stuckToBottom ? nothing : html`<button part="jump-button" @click=${this.jumpToLatest}>↓ Latest</button>`}
      ${this.links.render()}
      ${this.engine?.remoteHost
        ? html`<p part="remote-notice" role="note">Answers come from the server <strong>${this.engine.remoteHost}</strong>: your messages${hasVisit && this.visitContext ? ", and this visit's transcript and note," : ''} are sent there.</p>`
        : nothing}
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
    if (message.role === 'user') return html`<article part="message user" data-role="user" aria-label="You">${message.content}</article>`;
    const who = message.answeredBy === 'app' ? 'App' : message.answeredBy === 'small' ? 'Small model' : 'Model';
    const pending = message.confirmation?.status === 'pending';
    return html`<article part="message assistant" data-role="assistant" aria-label="Answer" aria-busy=${message.status === 'streaming' ? 'true' : 'false'} data-status=${message.status ?? 'done'}>
      <div class="content">${this.markdown.html(message.id, message.content || (message.status === 'streaming' ? '…' : ''), message.status === 'streaming').map((piece) => unsafeHTML(piece))}</div>
      <div part="meta">
        <span>${who}${message.status === 'stopped' ? ' · stopped' : message.status === 'error' ? ' · failed' : ''}</span>
        ${pending
          ? html`<button part="confirm-button" @click=${() => void this.conversation?.confirm(message.id, true)}>${message.confirmation!.command === 'new-visit' ? 'Start new visit' : 'Clear chat'}</button>
              <button part="cancel-button" @click=${() => void this.conversation?.confirm(message.id, false)}>Cancel</button>`
          : message.status === 'streaming'
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

  /** One conversation per session: the chat follows the session it is given. */
  private follow(session: VisitSession | undefined): void {
    if (session && this.conversation?.session === session) return;
    this.unfollow.forEach((off) => off());
    this.unfollow = [];
    this.conversation?.dispose();
    this.conversation = null;
    this.busy = false;
    if (!session || !this.isConnected) return;
    this.conversation = new Conversation(session, {
      settings: () => ({
        engine: this.engine,
        classifier: this.activeClassifier(),
        systemPrompt: this.systemPrompt,
        visitContext: this.visitContext,
        maxTokens: this.maxTokens,
        maxLength: this.maxLength,
      }),
      onCommand: (detail) => this.emit<ChatCommandDetail>('slm-chat-command', detail, { cancelable: true }),
      onError: (error) => this.fail(error),
      onBusy: (busy) => (this.busy = busy),
    });
    if (this.savedMessages) session.restoreChat(this.savedMessages);
    this.savedMessages = null;
    this.announced.clear();
    for (const m of session.chat) this.announced.set(m.id, m.status);
    this.unfollow.push(
      session.on('slm-session-chat', ({ detail }) => {
        this.requestUpdate();
        if (detail.message) this.announce(detail.message, detail.messages);
      }),
      session.on('slm-session-transcript', () => this.requestUpdate()),
      session.on('slm-session-visit', () => this.requestUpdate()),
    );
    this.requestUpdate();
  }

  /** The remote notice follows the engine's configuration (`llm-endpoint` set or removed later). */
  private watchEngine(engine: SlmEngine | undefined): void {
    this.unwatchEngine?.();
    this.unwatchEngine = renderOnEngineChange(this, engine);
  }

  /** `slm-chat-message` for a new message and for an answer that finished, not for every token. */
  private announce(message: ChatEntry, messages: readonly ChatEntry[]): void {
    const seen = this.announced.has(message.id);
    const before = this.announced.get(message.id);
    this.announced.set(message.id, message.status);
    if (seen && (message.status === 'streaming' || before === message.status) && !message.confirmation) return;
    this.emit<ChatMessageDetail>('slm-chat-message', { message, messages: [...messages] });
  }

  /** The classifier `router` asks for, made on first use. */
  private activeClassifier(): IntentClassifier {
    if (this.classifier) return this.classifier;
    const engine = this.engine;
    const wantsModel = this.router === 'embedding' || (this.router === 'auto' && !!engine?.has('small'));
    if (!wantsModel || !engine) return this.rules;
    if (this.embedding?.model !== this.routerModel || this.embedding.engine !== engine) {
      this.embedding?.dispose();
      this.embedding = new EmbeddingIntentClassifier({ engine, model: this.routerModel, fallback: this.rules, onError: (error) => this.fail(error) });
    }
    return this.embedding;
  }

  private fail(error: unknown): void {
    this.reportError(error, { code: 'generation-failed', kind: 'llm' });
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
