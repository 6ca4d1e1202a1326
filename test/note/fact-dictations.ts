/**
 * Dictations written for the omission guard: each is one visit, one utterance per segment, with
 * several drugs, doses, vitals, allergies, negations and durations said in varied ways (words and
 * digits, "over", "micrograms", home and clinic readings, dose changes). They were written before
 * the fact reader was tuned and are not used to build its word lists.
 */
export interface FactDictation {
  name: string;
  segments: string[];
}

export const FACT_DICTATIONS: FactDictation[] = [
  {
    name: 'statin and blood pressure review',
    segments: [
      'Mr. Okafor is here to review his cholesterol and blood pressure.',
      'He takes atorvastatin 40 mg nightly and candesartan 4 mg in the morning.',
      'He denies chest pain or muscle aches.',
      'Blood pressure today is 148 over 92, pulse 72.',
      'His home blood pressure readings average 135 over 85.',
      'Increase candesartan to 8 mg daily and continue the atorvastatin.',
      'Recheck in four weeks.',
    ],
  },
  {
    name: 'amlodipine titration',
    segments: [
      'She has been on amlodipine five milligrams for three months.',
      'Blood pressure in clinic is 162 over 98 and heart rate 80.',
      'No headaches, no visual disturbance.',
      'We will increase amlodipine from five to ten milligrams once daily.',
      'She is allergic to penicillin, it gives her hives.',
    ],
  },
  {
    name: 'febrile child',
    segments: [
      'His mother measured a temperature of 39.1 at home last night.',
      'In clinic his temperature is 37.8, heart rate 110 and respiratory rate 24.',
      'Oxygen saturation ninety eight percent on room air.',
      'He has no rash and no neck stiffness.',
      'Paracetamol 250 mg every six hours as needed.',
      'Weight is 18 kilograms.',
    ],
  },
  {
    name: 'pneumonia',
    segments: [
      'Cough with green sputum for five days.',
      'She denies chest pain but is short of breath on exertion.',
      'Temperature 38.4 degrees, respiratory rate 22, SpO2 94%.',
      'Crackles at the left base.',
      'Start amoxicillin 500 mg three times daily for 7 days and clarithromycin 500 mg twice daily.',
      'No known drug allergies.',
    ],
  },
  {
    name: 'diabetes review',
    segments: [
      'Type 2 diabetes, on metformin 1 g twice daily and gliclazide 80 mg in the morning.',
      'Her HbA1c is 64.',
      'Weight 96 kg, blood pressure 138/84.',
      'No hypoglycaemic episodes.',
      'Add empagliflozin 10 mg once daily.',
      'She is intolerant of sitagliptin.',
    ],
  },
  {
    name: 'asthma',
    segments: [
      'Her asthma has been worse for two weeks since a cold.',
      'She is using salbutamol two puffs four times a day.',
      'Respiratory rate 20, saturation 96%, no wheeze at rest.',
      'Prednisolone 40 mg once daily for five days.',
      'Increase beclomethasone to 400 micrograms twice daily.',
      'She does not smoke.',
    ],
  },
  {
    name: 'heart failure',
    segments: [
      'His ankles have been more swollen over the last week.',
      'He takes furosemide 40 mg each morning and bisoprolol 2.5 mg daily.',
      'Weight today is 84 kg.',
      'Bibasal crackles, no chest pain.',
      'Increase furosemide to 80 mg each morning.',
      'Check renal function in one week.',
    ],
  },
  {
    name: 'atrial fibrillation',
    segments: [
      'Palpitations on and off since 12 March.',
      'Pulse 118 and irregular, blood pressure 124/78.',
      'She takes apixaban 5 mg twice daily and digoxin 125 micrograms daily.',
      'No dizziness or syncope.',
      'Start bisoprolol 2.5 mg once daily.',
    ],
  },
  {
    name: 'gout',
    segments: [
      'Painful swollen right big toe for three days.',
      'He is allergic to aspirin.',
      'Temperature 37.1, pulse 88.',
      'Colchicine 500 micrograms twice daily for 5 days.',
      'Once it settles, start allopurinol 100 mg daily.',
      'No history of kidney stones.',
    ],
  },
  {
    name: 'low mood',
    segments: [
      'Low mood for about two months.',
      'Sertraline 50 mg daily was started six weeks ago.',
      'She denies suicidal thoughts.',
      'Blood pressure 118 over 76, weight 64 kg.',
      'Increase sertraline to 100 mg daily.',
      'Review in 4 weeks.',
    ],
  },
  {
    name: 'urinary infection',
    segments: [
      'Burning on passing urine for two days.',
      'No fever, no loin pain.',
      'Temperature 36.9, pulse 76.',
      'Nitrofurantoin 100 mg twice daily for three days.',
      'She is not pregnant.',
      'Allergic to trimethoprim.',
    ],
  },
  {
    name: 'thyroid and B12',
    segments: [
      'Tiredness for several months.',
      'Levothyroxine 75 micrograms daily, increase to 100 micrograms.',
      'Vitamin B12 1000 micrograms by injection every 3 months.',
      'Pulse 58, blood pressure 110 over 70.',
      'No weight gain, denies constipation.',
    ],
  },
];
