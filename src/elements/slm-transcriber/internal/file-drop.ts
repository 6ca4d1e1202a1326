import type { ReactiveController } from 'lit';

/**
 * A recording dropped anywhere on the element is transcribed. While one is dragged over it the
 * element has the `dragging` attribute (the drop target is styled from it); dragenter and
 * dragleave fire for every child crossed, so a depth count says when the drag really left.
 */
export class FileDrop implements ReactiveController {
  private depth = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly onFile: (file: File) => void,
  ) {}

  hostConnected(): void {
    this.host.addEventListener('dragenter', this.onDragEnter);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('drop', this.onDrop);
  }

  private readonly onDragEnter = (event: DragEvent) => {
    event.preventDefault();
    if (this.depth++ === 0) this.host.toggleAttribute('dragging', true);
  };

  private readonly onDragLeave = () => {
    if (--this.depth === 0) this.host.toggleAttribute('dragging', false);
  };

  private readonly onDragOver = (event: DragEvent) => event.preventDefault();

  private readonly onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.depth = 0;
    this.host.toggleAttribute('dragging', false);
    const file = event.dataTransfer?.files[0];
    if (file) this.onFile(file);
  };
}
