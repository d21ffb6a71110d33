/** pino-roll ships no types; the subset ITA uses (its README: build(options) => Promise<SonicBoom>). */
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  interface PinoRollOptions {
    file: string | (() => string);
    frequency?: 'daily' | 'hourly' | number;
    size?: string | number;
    extension?: string;
    dateFormat?: string;
    mkdir?: boolean;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    /** Passed to SonicBoom. */
    sync?: boolean;
  }
  export default function build(options: PinoRollOptions): Promise<DestinationStream & { end(): void; once(event: 'close', listener: () => void): void }>;
}
