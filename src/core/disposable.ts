/** Anything that holds a resource and must be released exactly once. Core's own, so core never needs `vscode`. */
export interface Disposable {
  dispose(): void;
}

/** Owns disposables and releases them in reverse order of addition; adding after disposal disposes at once. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch {
        // One failing disposer must not keep the others from running.
      }
    }
  }
}
