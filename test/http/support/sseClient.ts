export type SseFrame = { readonly id?: string; readonly data: string };

export type SseConnection = {
  /** Resolves with the frames received once `count` of them arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  readonly frames: readonly SseFrame[];
  readonly status: number;
  close(): void;
};

/** A minimal SSE client over fetch (so it can send credentials), as the visualiser reads the stream. */
export const openStream = async (url: string, headers: Record<string, string>): Promise<SseConnection> => {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  if (response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id: string | undefined;
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) frames.push({ ...(id ? { id } : {}), data });
          }
          for (const wake of waiters) wake();
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    frames,
    status: response.status,
    close: () => controller.abort(),
    waitFor: (count, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (frames.length < count) return;
          cleanup();
          resolve([...frames]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stream: ${frames.length} of ${count} frames within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
};
