import { DataSource } from 'typeorm';
import { validateGatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from './data-source-options.js';

/** For the TypeORM CLI (`npm run migration:run`, `migration:revert`); the app builds its own from the same options. */
export default new DataSource(dataSourceOptions(validateGatewayConfig(process.env).DATABASE_URL));
