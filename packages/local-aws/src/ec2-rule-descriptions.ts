import type { Amendment } from './routes';
import { childOf, parseXml, parsedMembers, textOf, xmlDocument, type XmlElement } from './xml';

// moto keeps the description of a security group rule only when its source is a CIDR range: a rule that refers to
// another security group or to a prefix list loses it, and DescribeSecurityGroupRules answers without one (Terraform
// would plan to set it again on every run). This amendment remembers the descriptions the Authorize and Modify calls
// sent, by the rule ids moto assigns, and puts them back into DescribeSecurityGroupRules answers.

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** What identifies a rule within one Authorize call: its ports and the group or prefix list it refers to. */
const ruleKey = (protocol: string, from: string, to: string, reference: string) => [protocol, from, to, reference].join(' ');

/** The described group and prefix-list references of an Authorize call, by ruleKey (EC2 names UserIdGroupPairs `Groups`). */
function describedReferences(parameters: URLSearchParams): Map<string, string> {
  const described = new Map<string, string>();
  for (const [name, description] of parameters) {
    const match = /^IpPermissions\.(\d+)\.(Groups|PrefixListIds)\.(\d+)\.Description$/.exec(name);
    if (!match) continue;
    const [, permission, kind, index] = match;
    const at = (member: string) => parameters.get(`IpPermissions.${permission}.${member}`) ?? '';
    const reference = at(`${kind}.${index}.${kind === 'PrefixListIds' ? 'PrefixListId' : 'GroupId'}`);
    described.set(ruleKey(at('IpProtocol'), at('FromPort'), at('ToPort'), reference), description);
  }
  return described;
}

const ruleItems = (answer: XmlElement) => childOf(answer, 'securityGroupRuleSet')?.children ?? [];

function referenceOf(rule: XmlElement): string {
  return textOf(childOf(rule, 'referencedGroupInfo'), 'groupId') ?? textOf(rule, 'prefixListId') ?? '';
}

export function securityGroupRuleDescriptions(): Amendment {
  const descriptions = new Map<string, string>();

  function authorized(parameters: URLSearchParams, answer: string): string {
    const described = describedReferences(parameters);
    if (described.size === 0) return answer;
    for (const rule of ruleItems(parseXml(answer))) {
      const key = ruleKey(textOf(rule, 'ipProtocol') ?? '', textOf(rule, 'fromPort') ?? '', textOf(rule, 'toPort') ?? '', referenceOf(rule));
      const description = described.get(key);
      if (description !== undefined) descriptions.set(textOf(rule, 'securityGroupRuleId') ?? '', description);
    }
    return answer;
  }

  function modified(parameters: URLSearchParams, answer: string): string {
    for (const [name, id] of parameters) {
      const match = /^SecurityGroupRule\.(\d+)\.SecurityGroupRuleId$/.exec(name);
      const description = match && parameters.get(`SecurityGroupRule.${match[1]}.SecurityGroupRule.Description`);
      if (description !== null && description !== undefined) descriptions.set(id, description);
    }
    return answer;
  }

  function described(answer: string): string {
    const document = parseXml(answer);
    let amended = false;
    for (const rule of ruleItems(document)) {
      const description = descriptions.get(textOf(rule, 'securityGroupRuleId') ?? '');
      if (description === undefined || childOf(rule, 'description')) continue;
      rule.children.push({ name: 'description', children: [], text: description });
      amended = true;
    }
    return amended ? xmlDocument(document.name, EC2_NAMESPACE, parsedMembers(document)) : answer;
  }

  return {
    service: 'ec2',
    actions: ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'ModifySecurityGroupRules', 'DescribeSecurityGroupRules'],
    amend(parameters, answer) {
      const action = parameters.get('Action');
      if (action === 'DescribeSecurityGroupRules') return described(answer);
      if (action === 'ModifySecurityGroupRules') return modified(parameters, answer);
      return authorized(parameters, answer);
    },
  };
}
