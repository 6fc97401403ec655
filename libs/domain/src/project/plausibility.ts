import { DomainWarning } from '../shared/domain-error';
import { Wan } from '../shared/money';

/**
 * Amounts outside what a "三个一批" project plausibly is, in 万元. The reports' projects run
 * from a few hundred 万元 to a few hundred 亿元: under 100 万元 is what 47.03亿 looks like
 * typed as "47" (亿元 where 万元 is asked); over 1万亿元 is a 万元 figure multiplied by
 * 10,000 again (or 元 typed as 万元).
 */
export const IMPLAUSIBLY_SMALL_WAN = 100;
export const IMPLAUSIBLY_LARGE_WAN = 100_000_000;

/** A warning (never a refusal: small and huge projects exist) when an amount looks mistyped. */
export function amountWarnings(field: string, wan: Wan): DomainWarning[] {
  if (wan > 0 && wan < IMPLAUSIBLY_SMALL_WAN) {
    return [
      {
        code: 'amount-looks-like-yi',
        field,
        text: {
          zh: `金额 ${wan} 万元偏小，是否把亿元当作万元填写？（${wan} 亿元 = ${wan * 10_000} 万元）`,
          en: `${wan} 万元 is very small: was it typed in 亿元? (${wan} 亿元 = ${wan * 10_000} 万元)`,
        },
      },
    ];
  }
  if (wan > IMPLAUSIBLY_LARGE_WAN) {
    return [
      {
        code: 'amount-looks-too-large',
        field,
        text: {
          zh: `金额 ${wan} 万元超过1万亿元，是否多乘了一万（或按元填写）？`,
          en: `${wan} 万元 is over 10,000 亿元: was it multiplied by 10,000 twice (or typed in 元)?`,
        },
      },
    ];
  }
  return [];
}
