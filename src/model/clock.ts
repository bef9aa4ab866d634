// The one-second tick. Only components that show ages subscribe to it, so the tick re-renders
// ages, not the whole app. Tests use a ManualClock and advance it explicitly.
export interface Clock {
  now(): number;
  subscribe(listener: () => void): () => void;
}

export class IntervalClock implements Clock {
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private current = Date.now();

  constructor(private readonly periodMs = 1000) {}

  now(): number {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.current = Date.now();
      // Tick on the second boundary so every age changes together.
      const align = this.periodMs - (Date.now() % this.periodMs);
      this.timer = setTimeout(() => {
        this.tick();
        this.timer = setInterval(() => this.tick(), this.periodMs);
        this.timer.unref?.();
      }, align);
      this.timer.unref?.();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private tick(): void {
    this.current = Date.now();
    for (const l of [...this.listeners]) l();
  }
}

export class ManualClock implements Clock {
  private listeners = new Set<() => void>();
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
    for (const l of [...this.listeners]) l();
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}
