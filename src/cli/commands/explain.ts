/** `aciseg explain`: the verdict for one query, with the rules that decide it on each side. */
import { Option } from 'commander';
import { EndpointError, resolveEndpoint } from '../../analyze/endpoints';
import { explain, type QueryProtocol } from '../../analyze/explain';
import { UsageError } from '../../errors';
import { IntervalSet, portDomain } from '../../policy/interval-set';
import { enveloped } from '../../render/envelope';
import { renderExplanationText } from '../../render/explain';
import { loadEngine } from '../engine-input';
import { parsePortOption, parseProtocolOption } from '../options';
import type { CommandRegistration } from '../program';

interface ExplainOptions {
  from: string;
  to: string;
  port?: number;
  protocol: QueryProtocol;
  format: 'text' | 'json';
  serviceTags?: string;
}

/** Registers `explain`. */
export const registerExplain: CommandRegistration = (program, ctx) => {
  program
    .command('explain')
    .description(
      'Explain whether Azure policy (admin rules, then NSGs) allows traffic from one endpoint to another.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .requiredOption(
      '--from <endpoint>',
      'source: resource ID, container group name, vnet/subnet, IPv4 address or CIDR, or a tag (Internet, VirtualNetwork, AzureLoadBalancer, *)',
    )
    .requiredOption('--to <endpoint>', 'destination, in the same forms as --from')
    .option('--port <n>', 'destination port (required unless --protocol icmp)', parsePortOption)
    .addOption(
      new Option('--protocol <protocol>', 'tcp, udp, icmp or * (all three)')
        .argParser(parseProtocolOption)
        .default('Tcp' as QueryProtocol, 'tcp'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--service-tags <file>',
      'ServiceTags_Public JSON to resolve service tags such as Storage.WestEurope',
    )
    .addHelpText(
      'after',
      `
Verdicts: allow (every flow allowed, any source port), deny (none), partial (some), unknown (depends on
something the snapshot does not resolve, such as a service tag without --service-tags).

Examples:
  aciseg explain estate.json --from Internet --to vnet-app/snet-aci-web --port 22
  aciseg explain estate.json --from web-frontend --to api-orders --port 8443 --format json
  aciseg explain estate.json --from 10.1.1.4 --to 10.1.2.0/24 --protocol icmp
`,
    )
    .action((snapshotFile: string, options: ExplainOptions) => {
      const protocol = options.protocol;
      if (protocol !== 'Icmp' && options.port === undefined)
        throw new UsageError('--port is required unless --protocol icmp');
      const engine = loadEngine(snapshotFile, { serviceTags: options.serviceTags }, ctx.io);
      let result;
      try {
        const from = resolveEndpoint(engine.index, options.from);
        const to = resolveEndpoint(engine.index, options.to);
        const ports =
          protocol === 'Icmp' || options.port === undefined
            ? null
            : IntervalSet.range(portDomain, options.port, options.port);
        result = explain(engine, from, to, protocol, ports);
      } catch (e) {
        if (e instanceof EndpointError) throw new UsageError(e.message);
        throw e;
      }
      ctx.io.stdout(
        options.format === 'json'
          ? `${JSON.stringify(enveloped('aciseg.explanation', result), null, 2)}\n`
          : renderExplanationText(result),
      );
    });
};
