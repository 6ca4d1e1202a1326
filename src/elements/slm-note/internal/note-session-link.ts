import type { NoteBuilder } from '../../../note/note-builder.js';
import type { ClinicalNote, NoteChangeDetail } from '../../../note/note-types.js';
import type { NoteEditor } from '../../../session/session-types.js';
import type { VisitSession } from '../../../session/visit-session.js';

/**
 * The session owns the note: the element is its note editor (chat commands act through it),
 * each change is reported to it, and a visit it opens is shown, its saved note or a fresh one.
 */
export class NoteSessionLink {
  private session: VisitSession | null = null;
  private off: Array<() => void> = [];

  constructor(
    private readonly editor: NoteEditor,
    private readonly builder: NoteBuilder,
    private readonly current: () => ClinicalNote,
  ) {}

  /** Follows this session (null: none). */
  follow(session: VisitSession | null): void {
    if (session === this.session) return;
    this.off.forEach((off) => off());
    this.off = [];
    if (this.session?.noteEditor === this.editor) this.session.attachNoteEditor(null);
    this.session = session;
    if (!session) return;
    session.attachNoteEditor(this.editor);
    this.off.push(
      session.on('slm-session-visit', () => {
        const saved = session.note;
        if (saved) this.builder.restore(structuredClone(saved));
        else this.builder.reset();
      }),
    );
    if (session.note) this.builder.restore(structuredClone(session.note));
    else session.setNote(this.current(), 'draft');
  }

  /** Tells the followed session of a change, when it is still the element's session. */
  report(detail: NoteChangeDetail, elementSession: VisitSession | undefined): void {
    if (this.session && this.session === elementSession) this.session.setNote(detail.note, detail.cause);
  }
}
