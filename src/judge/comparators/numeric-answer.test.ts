import { describe, expect, it } from 'vitest';
import { loadGsm8kHandChecked } from '../calibration/gold-sets.js';
import { finalAnswer, numericAnswer } from './numeric-answer.js';

const value = (t: string) => {
  const a = finalAnswer(t);
  return a.ok ? a.value : `unjudgeable: ${a.reason}`;
};

describe('finalAnswer reads answers as people write them', () => {
  it('explicit markers: ####, \\boxed, "the answer is", "Answer:", bold', () => {
    expect(value('so 9 * $2 = $<<9*2=18>>18.\n#### 18')).toBe(18);
    expect(value('Therefore the total is \\boxed{\\frac{3}{4}} cups.')).toBe(0.75);
    expect(value('We add them. The answer is $1,250.')).toBe(1250);
    expect(value('Working...\nAnswer: -7 degrees')).toBe(-7);
    expect(value('Some steps with 3 and 4.\n\nShe needs **36** lemons in total.')).toBe(36);
    expect(value('#### Each child got 5 books.')).toBe(5);
  });

  it('the number the concluding sentence commits to, not its last number', () => {
    expect(
      value('It takes 102 - 48 = 54 minutes.\n\nSo, Ray takes 54 minutes longer to swim 3 miles on a hot day.'),
    ).toBe(54);
    expect(
      value('The total is 45 + 42 = 87 cubic inches.\nThe total inner volume of all 3 boxes is 87 cubic inches.'),
    ).toBe(87);
    expect(value('Therefore, the price of the car in the year 2010 is approximately $9,860.78.')).toBe(9860.78);
    expect(value('In 4 weeks, she will use 84 eggs.')).toBe(84);
    expect(value('The rest, which is 40 - 24 = 16 people, think that horse #12 will win.')).toBe(16);
    expect(value('Since it is Friday, a ticket costs $10, so he can see 1 more movie.')).toBe(1);
    expect(value('720 grams / 360 grams/day = 2 days.\n\nSo, 720 grams of cat food will last for 2 days.')).toBe(2);
    expect(
      value('This means she had 400 - 100 = $300 left.\n\nHelpful Hint: 20% becomes 0.20, 25% becomes 0.25.'),
    ).toBe(300);
  });

  it('units, thousands separators, decimals, fractions, percentages, negative numbers', () => {
    expect(value('The trip is 1,234.5 km long.')).toBe(1234.5);
    expect(value('He walks 12km.')).toBe(12);
    expect(value('So 3/4 of the cake is left.')).toBe(0.75);
    expect(value('He has 2 1/2 pies.')).toBe(2.5);
    expect(value('So there is a 24% chance.')).toBe(24);
    expect(value('The temperature drops to −4 degrees.')).toBe(-4);
    expect(value('He is now 90 - 144 = -54 miles from home.')).toBe(-54);
    expect(value('She finished in 5th place.')).toBe(5);
    expect(numericAnswer('So there is a 24% chance.', '#### 0.24').value).toBe(1);
    expect(numericAnswer('It costs $16.00 in total.', 'so\n#### 16').value).toBe(1);
  });

  it('does not guess: ambiguous, cut-off or number-free answers are unjudgeable with a reason', () => {
    expect(value('#### 4, 6')).toMatch(/several numbers/);
    expect(value('In total, Jeff now has 86 glasses and 42 plates.')).toMatch(/side by side/);
    expect(value('The answer is 5.\n#### 6')).toMatch(/explicit answers disagree/);
    expect(value('In the second class, there are 20 - 12 = <<20-1')).toMatch(/cut off/);
    expect(value('The total cost of the wardrobe is 7,50')).toMatch(/malformed/);
    expect(value('So she needs 3 x')).toMatch(/cut off/);
    expect(value('We can set up the following equation:')).toMatch(/cut off/);
    expect(
      value('Lola ate an unknown number, so we cannot directly find the number left. If she ate 1 apple, 2 are left.'),
    ).toMatch(/cannot be determined/);
    expect(value('no digits here')).toMatch(/no number/);
    expect(value('he must deliver 160 - (the roses delivered) = 160 - y roses.')).toMatch(/expression/);
    const r = numericAnswer('#### 4, 6', '#### 10');
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/several numbers/);
  });

  it('agrees with the hand-checked GSM8K labels on at least 99% of the 300 answers', () => {
    const items = loadGsm8kHandChecked();
    expect(items).toHaveLength(300);
    const misses: string[] = [];
    for (const it of items) {
      const r = numericAnswer(it.candidate, it.reference);
      const got = r.value === null ? 'ambiguous' : r.value === 1 ? 'correct' : 'incorrect';
      if (got !== it.label) misses.push(`${it.id}: labelled ${it.label}, read ${got} (${r.reason})`);
    }
    const agreement = (items.length - misses.length) / items.length;
    console.log(
      `numeric-answer vs hand-checked GSM8K labels: ${items.length - misses.length}/${items.length} = ${(agreement * 100).toFixed(1)}%${misses.length ? `\n${misses.join('\n')}` : ''}`,
    );
    expect(agreement).toBeGreaterThanOrEqual(0.99);
  });
});
