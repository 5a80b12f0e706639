// The companion integration's side of the add-on: its identity (token and instance id) loaded
// before the HTTP server is built (the access guard accepts the token), its routes, and after
// the server listens, the Supervisor discovery announcement and the install into HA's config.
// Each of those can fail alone (logged); none stops Wactorz.
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config/types.ts';
import type { IntegrationInfo } from '../../contract/integration.ts';
import type { ChatService } from '../../contract/services.ts';
import type { HaClient } from '../../ha/client.ts';
import type { Logger } from '../../logger.ts';
import { VERSION } from '../../version.ts';
import type { TurnRunner } from '../channels/channel.ts';
import type { AiTaskLlm } from './ai-task.ts';
import { announceIntegration } from './discovery.ts';
import { HA_CONFIG_IN_ADDON, installIntegration, restartNotice } from './install.ts';
import { loadInstallIdentity, type InstallIdentity } from './install-identity.ts';
import { integrationRoutes } from './routes.ts';

export interface IntegrationSide {
  identity: InstallIdentity;
  routes: FastifyPluginAsync;
}

export interface IntegrationDeps {
  config: Config;
  runner: () => TurnRunner | undefined;
  chat: () => ChatService | undefined;
  llm: AiTaskLlm | undefined;
}

export function createIntegrationSide(deps: IntegrationDeps): IntegrationSide {
  const { config } = deps;
  const identity = loadInstallIdentity(config.dataDir);
  const info = (): IntegrationInfo => ({ instance_id: identity.instance_id, name: 'Wactorz', version: VERSION, llm: { provider: config.llm.provider, model: config.llm.model ?? null } });
  return { identity, routes: integrationRoutes({ info, runner: deps.runner, chat: deps.chat, llm: deps.llm, policy: config.integration }) };
}

export interface AfterListenDeps {
  config: Config;
  identity: InstallIdentity;
  port: number;
  ha: HaClient;
  logger: Logger;
  fetchImpl?: typeof fetch;
  /** Home Assistant's configuration folder as the add-on sees it; only tests change it. */
  haConfigDir?: string;
}

/** Announces the integration and installs it (add-on only). Resolves when both are settled. */
export async function afterListen(deps: AfterListenDeps): Promise<void> {
  const { config, logger } = deps;
  if (!config.supervisorToken) return;
  const announce = announceIntegration({ token: config.supervisorToken, port: deps.port, integrationToken: deps.identity.token, fetchImpl: deps.fetchImpl }).then(
    (d) => logger.info({ host: d.host, port: deps.port }, 'companion integration announced to the Supervisor'),
    (err: unknown) => logger.warn({ err }, 'companion integration discovery announcement failed'),
  );
  if (config.integration.install) {
    try {
      const outcome = installIntegration(deps.haConfigDir ?? HA_CONFIG_IN_ADDON);
      if (outcome.status === 'installed' || outcome.status === 'updated') {
        logger.info(outcome, 'companion integration installed into Home Assistant; HA must restart to load it');
        await deps.ha.callService({ domain: 'persistent_notification', service: 'create', data: restartNotice(outcome) }).catch((err: unknown) => logger.warn({ err }, 'could not tell the owner to restart Home Assistant'));
      } else if (outcome.status === 'unavailable') {
        logger.warn({ reason: outcome.reason }, 'companion integration not installed');
      }
    } catch (err) {
      logger.warn({ err }, 'companion integration could not be installed');
    }
  }
  await announce;
}
