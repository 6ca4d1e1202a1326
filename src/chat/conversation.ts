import type { SlmEngine } from '../engine/slm-engine.js';
import type { ChatMessage } from '../engine/types.js';
import { SlmError, isAbort } from '../errors/slm-error.js';
import type { NoteExportFormat } from '../note/note-types.js';
import type { VisitSession } from '../session/visit-session.js';
import type { ChatCommand, ChatCommandDetail, ChatEntry, Intent, IntentClassifier } from './chat-types.js';
import { RuleIntentClassifier } from './rule-classifier.js';
import { visitContext } from './visit-context.js';

const HISTORY_CHARS = 8000;
const YES = /^\s*(?:yes|y|yeah|ok(?:ay)?|confirm|do it|go ahead)\s*[.!]?\s*$/i;
const NO = /^\s*(?:no|n|cancel|stop|don'?t|never ?mind)\s*[.!]?\s*$/i;

export interface ConversationSettings {
  engine: SlmEngine | undefined;
  classifier: IntentClassifier;
  systemPrompt: string;
  /** Send the visit's transcript and note as data with each question. */
  visitContext: boolean;
  maxTokens: number;
  maxLength: number;
}

export interface ConversationOptions {
  /** Read before each message, so the element's properties apply as they are now. */
  settings: () => ConversationSettings;
  /** A command was recognised; false when the app handles it itself. */
  onCommand?: (detail: ChatCommandDetail) => boolean;
  onError: (error: SlmError) => void;
  /** Whether a message is being answered changed. */
  onBusy?: (busy: boolean) => void;
}

/**
 * The chat's behaviour without its DOM: sends, routes (commands, small or big model), streams
 * answers into the session's chat log, stops, regenerates, and runs commands against the
 * session. Destructive commands (new visit, clear chat) wait for the clinician's yes.
 */
export class Conversation {
  /** How many messages each route took: for the router's report. */
  readonly routeCounts = { app: 0, small: 0, main: 0 };
  private running: { controller: AbortController; done: Promise<void> } | null = null;
  private sending = false;
  private readonly rules = new RuleIntentClassifier();
  private readonly offSeal: () => void;

  constructor(
    readonly session: VisitSession,
    private readonly options: ConversationOptions,
  ) {
    // An answer still streaming belongs to the visit it was asked in: it stops before the visit changes.
    this.offSeal = session.on('slm-session-seal', ({ detail }) => {
      if (!this.running) return;
      this.stop();
      detail.waitUntil(this.running.done);
    });
  }

  /** An answer is being written, or a message is on its way to one (its intent being read). */
  get busy(): boolean {
    return this.running !== null || this.sending;
  }

  get entries(): readonly ChatEntry[] {
    return this.session.chat;
  }

  /** The confirmation waiting for a yes or no, if any. */
  get pendingConfirmation(): ChatEntry | undefined {
    const last = this.session.chat.at(-1);
    return last?.confirmation?.status === 'pending' ? last : undefined;
  }

  /**
   * Sends a message; resolves when it is answered. Rejects, adding nothing, with `invalid-argument`
   * when it is longer than `maxLength`, and with `chat-busy` while another message is being
   * answered: one answer at a time keeps each answer's history exact, and nothing is queued
   * behind the clinician's back (a queued message could land in the next patient's visit).
   */
  async send(text: string): Promise<void> {
    const content = text.trim();
    const settings = this.options.settings();
    if (!content) return;
    const refused = this.check(content);
    if (refused) throw refused;
    this.sending = true;
    try {
      await this.deliver(content, settings);
    } finally {
      this.sending = false;
    }
  }

  private async deliver(content: string, settings: ConversationSettings): Promise<void> {
    const pending = this.pendingConfirmation;
    const user = this.add({ role: 'user', content });
    if (pending && (YES.test(content) || NO.test(content))) return this.confirm(pending.id, YES.test(content));
    let intent: Intent;
    try {
      intent = await settings.classifier.classify(content);
    } catch {
      intent = this.rules.classify(content);
    }
    if (intent.kind === 'command') return this.runCommand(intent.command, intent.argument, content);
    await this.answer(user, intent.kind === 'simple' && settings.engine?.has('small') ? 'small' : 'main');
  }

  /** Why a message would be refused (`chat-busy`, `invalid-argument`), or null when it can be sent. */
  check(text: string): SlmError | null {
    if (this.busy) return new SlmError('chat-busy', 'An answer is still being written. Wait for it, or press Stop, then send this message again.');
    const length = text.trim().length;
    const { maxLength } = this.options.settings();
    if (length <= maxLength) return null;
    return new SlmError('invalid-argument', `This message has ${length.toLocaleString('en')} characters; the limit is ${maxLength.toLocaleString('en')}. Shorten it or split it.`);
  }

  /** Stops the answer being written; what was written stays. */
  stop(): void {
    this.running?.controller.abort(new SlmError('aborted', 'Stopped.'));
  }

  /** Asks again for the last answer, which the new one replaces. */
  async regenerate(): Promise<void> {
    if (this.busy) return;
    const chat = this.session.chat;
    const lastUser = chat.findLastIndex((m) => m.role === 'user');
    if (lastUser === -1) return;
    const previous = chat[lastUser + 1];
    await this.answer(chat[lastUser], previous?.answeredBy === 'small' ? 'small' : 'main', previous?.role === 'assistant' ? previous : undefined);
  }

  /** Answers a waiting confirmation: yes runs the command, no leaves everything as it was. */
  async confirm(entryId: string, yes: boolean): Promise<void> {
    const entry = this.session.chat.find((m) => m.id === entryId);
    if (!entry?.confirmation || entry.confirmation.status !== 'pending') return;
    const { command } = entry.confirmation;
    const done: ChatEntry = {
      ...entry,
      confirmation: { command, status: yes ? 'confirmed' : 'cancelled' },
      content: yes ? (command === 'new-visit' ? 'Started a new visit. This one stays in the visit list.' : 'Cleared the chat.') : 'Cancelled: nothing was changed.',
    };
    this.session.putChat(done);
    if (!yes) return;
    if (command === 'new-visit') await this.session.startNew();
    else this.session.clearChat();
  }

  /** Stops any answer and empties this visit's chat. */
  clear(): void {
    this.stop();
    this.session.clearChat();
  }

  dispose(): void {
    this.stop();
    this.offSeal();
  }

  /** System prompt, the visit as data, then as much recent conversation as fits. */
  prompt(question: ChatEntry): ChatMessage[] {
    const settings = this.options.settings();
    const visit = settings.visitContext ? visitContext(this.session.transcript.segments, this.session.note) : null;
    const messages: ChatMessage[] = [{ role: 'system', content: visit ? `${settings.systemPrompt}\n\n${visit}` : settings.systemPrompt }];
    const history: ChatMessage[] = [];
    const chat = this.session.chat;
    let chars = 0;
    for (const m of chat.slice(0, chat.findIndex((e) => e.id === question.id) + 1).reverse()) {
      if (m.answeredBy === 'app' || (m.role === 'assistant' && !m.content)) continue;
      chars += m.content.length;
      if (chars > HISTORY_CHARS && history.length) break;
      history.unshift({ role: m.role, content: m.content });
    }
    return [...messages, ...history];
  }

  private add(message: Omit<ChatEntry, 'id' | 'createdAt'>): ChatEntry {
    const entry: ChatEntry = { id: crypto.randomUUID(), createdAt: Date.now(), ...message };
    this.session.putChat(entry);
    return entry;
  }

  private async answer(question: ChatEntry, model: 'small' | 'main', replacing?: ChatEntry): Promise<void> {
    const { engine, maxTokens } = this.options.settings();
    if (!engine) {
      this.options.onError(new SlmError('not-loaded', 'Put <slm-chat> inside an <slm-provider> that names a language model (llm="…").'));
      return;
    }
    this.routeCounts[model]++;
    const session = this.session;
    let reply: ChatEntry = replacing
      ? { ...replacing, content: '', status: 'streaming', answeredBy: model }
      : this.add({ role: 'assistant', content: '', status: 'streaming', answeredBy: model });
    if (replacing) session.putChat(reply);
    const put = (changes: Partial<ChatEntry>) => {
      reply = { ...reply, ...changes };
      // After the visit changed, the answer is finished only in the log of the visit it belongs to (already stored).
      if (session.chat.some((m) => m.id === reply.id)) session.putChat(reply);
    };
    const controller = new AbortController();
    let settle = () => {};
    this.running = { controller, done: new Promise<void>((resolve) => (settle = resolve)) };
    this.options.onBusy?.(true);
    try {
      const result = await engine.generate(this.prompt(question), {
        priority: 'normal',
        model,
        // The model's memory of this visit's prompt is kept, and reused, under the visit's id.
        cacheKey: session.id,
        signal: controller.signal,
        maxTokens,
        onToken: (token) => put({ content: reply.content + token }),
      });
      put({ content: result.text || reply.content, status: 'done' });
    } catch (error) {
      const stopped = isAbort(error);
      put({ status: stopped ? 'stopped' : 'error' });
      if (!stopped) this.options.onError(SlmError.from(error, 'generation-failed'));
    } finally {
      this.running = null;
      settle();
      this.options.onBusy?.(false);
    }
  }

  private runCommand(command: ChatCommand, argument: string | undefined, message: string): void {
    this.routeCounts.app++;
    if (this.options.onCommand && !this.options.onCommand({ command, argument, message })) return;
    const editor = this.session.noteEditor;
    const note = this.session.note;
    const reply = (content: string, extra: Partial<ChatEntry> = {}) => this.add({ role: 'assistant', content, status: 'done', answeredBy: 'app', ...extra });
    switch (command) {
      case 'clear':
        reply('Clear this visit’s chat? Its messages are deleted from the visit.', { confirmation: { command: 'clear', status: 'pending' } });
        return;
      case 'new-visit':
        reply('Start a new visit? The transcript, note and chat on screen are cleared; this visit stays in the visit list.', { confirmation: { command: 'new-visit', status: 'pending' } });
        return;
      case 'add-to-plan': {
        const plan = note?.sections.find((s) => s.id === 'plan') ?? note?.sections.at(-1);
        if (!editor || !plan || !argument) {
          reply('There is no note with a plan to add to.');
          return;
        }
        editor.addItem(plan.id, argument);
        reply(`Added to **${plan.title}**: ${argument}`);
        return;
      }
      case 'export': {
        if (!editor) {
          reply('There is no note to export.');
          return;
        }
        const format: NoteExportFormat = argument === 'fhir' || argument === 'json' ? 'fhir' : argument === 'text' ? 'text' : 'markdown';
        editor.download(format);
        reply(`Exported the note as ${format === 'fhir' ? 'FHIR R4 JSON' : format === 'text' ? 'plain text' : 'Markdown'}.`);
        return;
      }
    }
  }
}
