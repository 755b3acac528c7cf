// Downloads a report with progress: CSV progress counts rows against the server's X-Total-Rows,
// Excel progress counts bytes against Content-Length.
export interface Progress {
  received: number;
  /** Rows (CSV) or bytes (Excel) expected, when the server said. */
  total: number | null;
}

/** 0..1, or null when the total is unknown. */
export function fraction(progress: Progress): number | null {
  if (progress.total === null || progress.total <= 0) return progress.total === 0 ? 1 : null;
  return Math.min(1, progress.received / progress.total);
}

/** Rows in a chunk of CSV: line ends, less the header's. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export async function downloadReport(url: string, filename: string, onProgress: (p: Progress) => void, fetcher: typeof fetch = fetch): Promise<Blob> {
  const response = await fetcher(url, { credentials: 'same-origin' });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `export failed (${response.status})`);
  }
  const csv = (response.headers.get('content-type') ?? '').startsWith('text/csv');
  const total = Number(csv ? response.headers.get('x-total-rows') : response.headers.get('content-length'));
  const expected = Number.isFinite(total) && total >= 0 && (csv || total > 0) ? total : null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let headerSeen = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    if (csv) {
      let lines = countLines(decoder.decode(value, { stream: true }));
      if (!headerSeen && lines > 0) {
        headerSeen = true;
        lines--;
      }
      received += lines;
    } else {
      received += value.byteLength;
    }
    onProgress({ received, total: expected });
  }
  const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  if (typeof document !== 'undefined') {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }
  return blob;
}
