import { Injectable } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { GatewayConfig } from '../config/gateway-config.js';
import { translateEngineError } from './engine-error-translator.js';
import type { EnginePath } from './engine-path.js';
import { EngineRequestMetrics } from './engine-request-metrics.js';

/** An engine-rest request: its path only from enginePath, so no caller can build one from unchecked values. */
export type EngineRequest = Omit<AxiosRequestConfig, 'url' | 'baseURL'> & { url: EnginePath };

/** The HTTP transport to engine-rest (base URL, Basic auth, timeout); every failure leaves it as a CamundaError. */
@Injectable()
export class EngineHttp {
  private readonly http: AxiosInstance;

  constructor(
    config: GatewayConfig,
    private readonly metrics: EngineRequestMetrics,
  ) {
    this.http = axios.create({
      baseURL: config.CAMUNDA_URL.replace(/\/+$/, ''),
      auth: { username: config.CAMUNDA_USER, password: config.CAMUNDA_PASSWORD },
      timeout: config.CAMUNDA_TIMEOUT_MS,
      headers: { Accept: 'application/json' },
    });
  }

  async request<T = void>(operation: string, config: EngineRequest): Promise<T> {
    return (await this.requestRaw<T>(operation, config)).data;
  }

  async requestRaw<T = unknown>(operation: string, config: EngineRequest): Promise<AxiosResponse<T>> {
    const done = this.metrics.duration.startTimer({ operation });
    try {
      const response = await this.http.request<T>(config);
      done({ outcome: 'ok' });
      return response;
    } catch (error) {
      const translated = translateEngineError(error, operation);
      done({ outcome: translated.code });
      throw translated;
    }
  }
}
