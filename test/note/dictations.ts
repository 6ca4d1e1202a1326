/**
 * Dictations written for the draft structurer's accuracy test: each is what a clinician might
 * say in one visit, sentence by sentence, with the SOAP section a careful scribe would file
 * each sentence under. They are not used to build the cue lists' wording test by test.
 */
export interface LabelledDictation {
  name: string;
  sentences: Array<[text: string, section: 'subjective' | 'objective' | 'assessment' | 'plan']>;
}

export const SOAP_DICTATIONS: LabelledDictation[] = [
  {
    name: 'cough',
    sentences: [
      ['Mrs. Jones is a 54 year old woman who comes in with a cough for the past two weeks.', 'subjective'],
      ['She reports green sputum and feeling tired.', 'subjective'],
      ['She denies fever or chest pain.', 'subjective'],
      ['Temperature is 37.9 degrees and oxygen saturation 96 percent.', 'objective'],
      ['On auscultation there are crackles at the right base.', 'objective'],
      ['This is most likely a community acquired pneumonia.', 'assessment'],
      ['We will start amoxicillin 500 mg three times daily for five days.', 'plan'],
      ['She should come back if she gets short of breath.', 'plan'],
    ],
  },
  {
    name: 'hypertension follow-up',
    sentences: [
      ['Mr. Patel is here for follow-up of his blood pressure.', 'subjective'],
      ['He has been taking lisinopril 10 mg every morning.', 'subjective'],
      ['He says he feels well and has no headaches.', 'subjective'],
      ['Blood pressure today is 152 over 94 and pulse 78.', 'objective'],
      ['Heart sounds are normal with no murmur.', 'objective'],
      ['His hypertension is not well controlled.', 'assessment'],
      ['Increase lisinopril to 20 mg daily.', 'plan'],
      ['Recheck blood pressure in four weeks.', 'plan'],
    ],
  },
  {
    name: 'knee pain',
    sentences: [
      ['The patient complains of right knee pain since a fall last week.', 'subjective'],
      ['The pain is worse on stairs.', 'subjective'],
      ['On examination the knee is swollen and tender along the medial joint line.', 'objective'],
      ['Range of motion is reduced.', 'objective'],
      ['I suspect a medial meniscus injury.', 'assessment'],
      ['Plan is ibuprofen 400 mg as needed and an MRI of the right knee.', 'plan'],
      ['Refer to physiotherapy.', 'plan'],
    ],
  },
  {
    name: 'diabetes review',
    sentences: [
      ['He is a 67 year old man with type 2 diabetes.', 'subjective'],
      ['He reports checking his sugars twice a day.', 'subjective'],
      ['Weight is 91 kilograms.', 'objective'],
      ['Feet show no ulcers and sensation is intact.', 'objective'],
      ['Assessment: diabetes with suboptimal control.', 'assessment'],
      ['Continue metformin 1000 mg twice daily.', 'plan'],
      ['We will order an HbA1c and a lipid panel.', 'plan'],
      ['Follow up in three months.', 'plan'],
    ],
  },
  {
    name: 'sore throat, spoken headings',
    sentences: [
      ['Subjective: sore throat for three days.', 'subjective'],
      ['No cough.', 'subjective'],
      ['Objective: tonsils are enlarged with exudate.', 'objective'],
      ['Tender anterior cervical nodes.', 'objective'],
      ['Assessment: probable streptococcal pharyngitis.', 'assessment'],
      ['Plan: penicillin V for ten days.', 'plan'],
      ['Advised fluids and rest.', 'plan'],
    ],
  },
  {
    name: 'headache',
    sentences: [
      ['She presents with headaches that started a month ago.', 'subjective'],
      ['They are worse in the morning and she has noticed blurred vision.', 'subjective'],
      ['Neurological exam is normal and fundi look normal.', 'objective'],
      ['Blood pressure 128 over 82.', 'objective'],
      ['Differential includes tension headache and migraine.', 'assessment'],
      ['Start a headache diary.', 'plan'],
      ['Return in two weeks or sooner if symptoms change.', 'plan'],
    ],
  },
];

/**
 * Written after the cue lists were settled and never tuned against: the accuracy printed for
 * these is the honest estimate of how the draft does on dictation it has not seen.
 */
export const HELD_OUT_DICTATIONS: LabelledDictation[] = [
  {
    name: 'abdominal pain',
    sentences: [
      ['Thirty two year old man with upper abdominal pain after meals for a month.', 'subjective'],
      ['No vomiting, no black stools.', 'subjective'],
      ['He drinks about four beers a night.', 'subjective'],
      ['Abdomen is soft with mild epigastric tenderness.', 'objective'],
      ['Heart rate 84, afebrile.', 'objective'],
      ['Likely gastritis, possibly peptic ulcer disease.', 'assessment'],
      ['Start omeprazole 20 mg once daily before breakfast.', 'plan'],
      ['Test for Helicobacter pylori.', 'plan'],
      ['Cut down on alcohol.', 'plan'],
    ],
  },
  {
    name: 'asthma',
    sentences: [
      ['Her asthma has been worse since she caught a cold.', 'subjective'],
      ['She is using her salbutamol inhaler four times a day.', 'subjective'],
      ['Wheeze on both sides, respiratory rate 20.', 'objective'],
      ['Peak flow is 320, about 70 percent of her best.', 'objective'],
      ['Moderate asthma exacerbation triggered by a viral infection.', 'assessment'],
      ['Prednisolone 40 mg for five days.', 'plan'],
      ['Review her inhaler technique next visit.', 'plan'],
    ],
  },
];
