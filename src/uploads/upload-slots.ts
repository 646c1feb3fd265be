import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';

/** Counts the multipart uploads in flight: each holds up to several MiB in memory until the engine has it. */
@Injectable()
export class UploadSlots {
  private inUse = 0;

  constructor(private readonly config: GatewayConfig) {}

  /** Takes a slot if one is free; the returned function gives it back (once, however often it is called). */
  tryAcquire(): (() => void) | null {
    if (this.inUse >= this.config.MAX_CONCURRENT_UPLOADS) return null;
    this.inUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
    };
  }
}
