// The word lists cache-answer reads answers with: function words, negation cues, synonym groups, number words.
import { porterStem } from '../../text/natural-words.js';

/**
 * Function words: they carry no fact of their own. Words that do change a fact (before/after,
 * more/less, must/may, up/down, negations) are deliberately not here.
 */
export const STOPWORDS = new Set(
  (
    "a an the this that these those it its it's i me my mine we us our ours you your yours he him his she her hers they them their theirs " +
    'is am are was were be been being do does did doing have has had having will would shall can could ' +
    'of in on at to for from by with within into onto about as than then so such also just very too there here ' +
    'and or but if because while which who whom whose what when where how why all any each some both either ' +
    'let lets please kindly thank thanks hello hi hey dear sure certainly absolutely okay ok yes ' +
    'glad happy hope help helps assist regard regards welcome sorry apologize apologies note noted simply really ' +
    "one's oneself yourself yourselves ourselves themselves itself myself himself herself"
  ).split(/\s+/),
);

/** Negation cues (after contractions are expanded: "can't" -> "can not"). */
export const NEGATION = new Set([
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'nobody',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'unable',
]);

/**
 * Common English synonym groups (general usage, not one dataset's vocabulary): words of a group are
 * the same content word for alignment. Stemmed on load.
 */
const SYNONYMS = [
  'get got gotten receive obtain',
  'buy purchase',
  'start begin began begun commence',
  'end finish complete',
  'quick fast rapid speedy',
  'big large',
  'small little tiny',
  'show display',
  'need require',
  'ask request',
  'check verify confirm',
  'choose chose chosen select pick',
  'send transfer',
  'money funds cash',
  'fee charge',
  'cost price',
  'wait hold',
  'arrive come',
  'delivery shipping',
  'mistake error',
  'problem issue trouble',
  'fix resolve repair',
  'remove delete',
  'change modify alter update',
  'allow permit let',
  'stop cease halt',
  'try attempt',
  'phone mobile cell',
  'app application',
  'account profile',
  'answer reply respond response',
  'contact reach',
  'rapidly quickly',
  'usually normally typically generally',
  'around approximately roughly about',
  'lost missing',
  'freeze block lock',
  'unfreeze unblock unlock',
  'refund reimburse',
  'cancel revoke',
  'use utilize',
  'go head navigate',
  'open launch',
  'tap click press select',
  'option setting',
  'day days',
  'business working',
  'top add load',
  'automatic automatically',
  'shortly soon',
  'again anew',
  'make create',
  'find found locate located',
  'look see view',
  'notify inform tell',
  'possible able',
  'free complimentary',
  'correct right accurate',
  'wrong incorrect',
  'large huge',
  'famous renowned well-known',
  'city town',
];
/** Stem -> the canonical stem of its synonym group. */
let canonMap: Map<string, string> | undefined;
/** Stem -> the stem standing for its synonym group; built on the first reading (stemming loads natural). */
export function canonicalStems(): Map<string, string> {
  if (canonMap) return canonMap;
  const canonOf = new Map<string, string>();
  for (const group of SYNONYMS) {
    const stems = group.split(' ').map(porterStem);
    // a stem already in a group joins the whole new group to it
    const canon = stems.map((s) => canonOf.get(s)).find((c) => c !== undefined) ?? stems[0];
    for (const s of stems) if (!canonOf.has(s)) canonOf.set(s, canon);
  }
  canonMap = canonOf;
  return canonMap;
}

/** Number words and their values (a differing one is a differing number). */
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  thousand: 1000,
  million: 1e6,
  twice: 2,
  half: 0.5,
};
