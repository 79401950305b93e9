// natural's classifiers by deep path: the package root loads ~1,200 modules and reads .env.
import classifiers from 'natural/lib/natural/classifiers/index.js';

/** A trained local intent model: the demo's "cheap model" for Banking77. */
export interface IntentClassifier {
  readonly name: string;
  classify(text: string): string;
}

/**
 * Trains natural's multinomial naive Bayes on labelled examples (Banking77's train split
 * in the demo). Real predictions of a real model, not a simulation; about 82% accurate on
 * the test split, so it errs far more often than the 3% budget.
 */
export function trainIntentClassifier(examples: { text: string; category: string }[]): IntentClassifier {
  const { BayesClassifier } = classifiers as unknown as { BayesClassifier: new () => BayesLike };
  const c = new BayesClassifier();
  for (const e of examples) c.addDocument(e.text, e.category);
  c.train();
  return { name: 'naive-bayes-banking77', classify: (text) => c.classify(text) };
}

interface BayesLike {
  addDocument(text: string, label: string): void;
  train(): void;
  classify(text: string): string;
}
