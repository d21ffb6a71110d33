/**
 * Running backtests, one per chat, each cancellable through its AbortController. The run happens outside the
 * update that started it (the chat stays responsive, so the Cancel press can arrive while it runs).
 */
export interface BacktestJob {
  id: string;
  chatId: number;
  signal: AbortSignal;
}

export class BacktestJobs {
  private readonly running = new Map<string, { chatId: number; controller: AbortController }>();
  private sequence = 0;

  begin(chatId: number): BacktestJob | undefined {
    if ([...this.running.values()].some((job) => job.chatId === chatId)) return undefined;
    const id = `${Date.now().toString(36)}${(this.sequence++).toString(36)}`;
    const controller = new AbortController();
    this.running.set(id, { chatId, controller });
    return { id, chatId, signal: controller.signal };
  }

  /** Only the chat that started a job may cancel it. */
  cancel(id: string, chatId: number): boolean {
    const job = this.running.get(id);
    if (!job || job.chatId !== chatId) return false;
    job.controller.abort(new Error('cancelled by the user'));
    return true;
  }

  end(id: string): void {
    this.running.delete(id);
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.controller.abort(new Error('bot stopping'));
  }
}
