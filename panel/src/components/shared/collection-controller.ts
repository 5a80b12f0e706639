// Binds a live collection to a Lit element's lifetime: subscribed while the element is in the
// document, re-rendering it on every change.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Collection, CollectionState } from '../../data/collection.ts';

export class CollectionController<T> implements ReactiveController {
  state: CollectionState<T> = { data: undefined, error: undefined };
  private readonly host: ReactiveControllerHost;
  private collection: Collection<T>;
  private off: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, collection: Collection<T>) {
    this.host = host;
    this.collection = collection;
    host.addController(this);
  }

  get data(): T | undefined {
    return this.state.data;
  }

  /** Fetches again now (a Refresh button: for data no live event announces). */
  refresh(): Promise<void> {
    return this.collection.refresh();
  }

  /** Switches to another collection (a different cost period, say). */
  use(collection: Collection<T>): void {
    if (collection === this.collection) return;
    this.hostDisconnected();
    this.collection = collection;
    this.hostConnected();
  }

  hostConnected(): void {
    this.off = this.collection.subscribe((s) => {
      this.state = s;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
  }
}
