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
 * Written after the first cue lists were settled, as a held-out set; the diagnosis vocabulary's
 * change was tuned with them in view, so they are development data now. The held-out set of
 * today is test/note/held-out-dictations.ts.
 */
export const EARLIER_DICTATIONS: LabelledDictation[] = [
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

/**
 * Development dictations in other authors' styles (terse shorthand, narrative, templated,
 * non-native phrasing, bare diagnoses, plans without "plan", vitals lists), written to tune the
 * diagnosis vocabulary and cues. The first sentence of "pneumonia, bare diagnoses" is the one the
 * issue quotes.
 */
export const STYLE_DICTATIONS: LabelledDictation[] = [
  {
    name: 'pneumonia, bare diagnoses',
    sentences: [
      ['Sixty one year old smoker, productive cough and fevers for five days.', 'subjective'],
      ['Temp 38.6, heart rate 104, sats 92 percent on room air.', 'objective'],
      ['Bronchial breathing left base.', 'objective'],
      ['Community-acquired pneumonia of the left lower lobe.', 'assessment'],
      ['CURB-65 score of 1.', 'assessment'],
      ['Amoxicillin 1 g three times a day for five days.', 'plan'],
      ['Chest x-ray in six weeks to confirm resolution.', 'plan'],
    ],
  },
  {
    name: 'urinary infection, terse shorthand',
    sentences: [
      ['28F, dysuria and frequency x3 days.', 'subjective'],
      ['No flank pain, no fever.', 'subjective'],
      ['NKDA.', 'subjective'],
      ['Afebrile, abdo soft, no renal angle tenderness.', 'objective'],
      ['Urine dip positive for nitrites and leukocytes.', 'objective'],
      ['Uncomplicated UTI.', 'assessment'],
      ['Nitrofurantoin 100 mg BID x5 days.', 'plan'],
      ['RTC if not better in 48 hours.', 'plan'],
    ],
  },
  {
    name: 'ankle, narrative',
    sentences: [
      ['This gentleman rolled his right ankle playing football yesterday evening and has been unable to bear weight since.', 'subjective'],
      ['The lateral malleolus is swollen and bruised, with tenderness over the anterior talofibular ligament but not over the bone.', 'objective'],
      ['He can take four steps in the room.', 'objective'],
      ['By the Ottawa rules no x-ray is needed.', 'assessment'],
      ['Grade two sprain of the right ankle.', 'assessment'],
      ['Rest, ice, compression and elevation, with ibuprofen for the pain.', 'plan'],
      ['He can return to sport once he can hop without pain.', 'plan'],
    ],
  },
  {
    name: 'copd, templated',
    sentences: [
      ['Chief complaint: increasing breathlessness.', 'subjective'],
      ['History: three days of more sputum, now green, and wheeze at night.', 'subjective'],
      ['Vitals: BP 138/84, HR 96, RR 22, SpO2 90% on air, T 37.4.', 'objective'],
      ['Exam: prolonged expiration, scattered wheeze.', 'objective'],
      ['Impression: infective exacerbation of COPD.', 'assessment'],
      ['Prednisolone 30 mg daily for five days and doxycycline.', 'plan'],
      ['Review in one week.', 'plan'],
    ],
  },
  {
    name: 'gout, non-native phrasing',
    sentences: [
      ['Patient is having pain in big toe of left foot since two days, very much pain in night time.', 'subjective'],
      ['He is telling he ate a lot of meat in a wedding.', 'subjective'],
      ['Toe is red, hot and very tender, I cannot touch it.', 'objective'],
      ['Acute gout of the left first MTP joint.', 'assessment'],
      ['I am giving him colchicine 500 microgram two times a day.', 'plan'],
      ['Uric acid to be checked after six weeks.', 'plan'],
    ],
  },
  {
    name: 'low mood, narrative',
    sentences: [
      ['She has felt low for about three months since losing her job.', 'subjective'],
      ['Sleep is poor and she has lost interest in seeing friends.', 'subjective'],
      ['No thoughts of self harm.', 'subjective'],
      ['She is tearful but engages well, with normal speech and no psychotic features.', 'objective'],
      ['PHQ-9 is 16.', 'objective'],
      ['Moderate depressive episode.', 'assessment'],
      ['We discussed talking therapy and she would like to try it first.', 'plan'],
      ['Self-referral details given and a follow-up call in two weeks.', 'plan'],
    ],
  },
  {
    name: 'child with earache',
    sentences: [
      ['Mum says he has been pulling at his left ear and crying at night.', 'subjective'],
      ['Temperature 38.1.', 'objective'],
      ['Left tympanic membrane red and bulging.', 'objective'],
      ['Acute otitis media, left.', 'assessment'],
      ['Paracetamol and ibuprofen for comfort.', 'plan'],
      ['Delayed antibiotic prescription if not improving in three days.', 'plan'],
    ],
  },
  {
    name: 'cellulitis and atrial fibrillation, problem list',
    sentences: [
      ['Red painful swollen left shin for four days.', 'subjective'],
      ['Known atrial fibrillation on apixaban.', 'subjective'],
      ['Warm erythema from ankle to mid shin, edges marked.', 'objective'],
      ['Pulse irregularly irregular at 88.', 'objective'],
      ['Number one, cellulitis of the left lower leg.', 'assessment'],
      ['Number two, atrial fibrillation, rate controlled.', 'assessment'],
      ['Flucloxacillin 500 mg four times a day for seven days.', 'plan'],
      ['Continue apixaban.', 'plan'],
    ],
  },
];

/**
 * The first held-out set, written after the diagnosis vocabulary was settled. Its first run filed
 * 66 of 82 sentences (80.5%; Assessment 14/14, Subjective 16/22, Objective 17/20, Plan 19/26);
 * its misses were then fixed (a drug that "does little" is history, a test named without a result
 * or "tomorrow" is an order, "strain" alone is a verb), so it is development data now. The
 * held-out set of today is test/note/held-out-dictations.ts.
 */
export const FIRST_HELD_OUT_DICTATIONS: LabelledDictation[] = [
  {
    name: 'migraine, narrative',
    sentences: [
      ['Ms. Okafor is a thirty four year old teacher with throbbing left sided headaches, two or three a month, each lasting most of a day.', 'subjective'],
      ['They come with nausea and she has to lie in a dark room.', 'subjective'],
      ['Paracetamol does little.', 'subjective'],
      ['Fundoscopy is normal, no focal neurology, blood pressure one eighteen over seventy six.', 'objective'],
      ['Migraine without aura.', 'assessment'],
      ['Sumatriptan 50 mg at the onset of a headache, may repeat once after two hours.', 'plan'],
      ['Keep a diary and see me again in three months.', 'plan'],
    ],
  },
  {
    name: 'thyroid review, terse',
    sentences: [
      ['45F, hypothyroid, on levothyroxine 75 mcg.', 'subjective'],
      ['Tired, gained 3 kg, feels cold.', 'subjective'],
      ['Wt 78 kg, HR 58.', 'objective'],
      ['TSH 8.9, free T4 low normal.', 'objective'],
      ['Hypothyroidism, undertreated.', 'assessment'],
      ['Levothyroxine up to 100 mcg.', 'plan'],
      ['TSH in 6 weeks.', 'plan'],
    ],
  },
  {
    name: 'swollen calf, templated',
    sentences: [
      ['Presenting complaint: swollen painful right calf for three days after a long-haul flight.', 'subjective'],
      ['Past history: on the combined pill, no previous clots.', 'subjective'],
      ['Observations: pulse 92, BP 124/78, sats 98%, temperature 36.9.', 'objective'],
      ['Right calf 3 cm larger than left, pitting edema to the knee.', 'objective'],
      ['Wells score 2.', 'objective'],
      ['Provisional diagnosis: right leg DVT.', 'assessment'],
      ['Apixaban 10 mg twice daily for seven days then 5 mg twice daily.', 'plan'],
      ['Ultrasound Doppler tomorrow morning.', 'plan'],
      ['Stop the combined pill.', 'plan'],
    ],
  },
  {
    name: 'back pain, non-native phrasing',
    sentences: [
      ['Patient is coming with low back pain which is going to the left leg from one week.', 'subjective'],
      ['He is doing lifting work in the warehouse.', 'subjective'],
      ['No problem in passing urine or stool.', 'subjective'],
      ['Straight leg raise is positive on the left at forty degrees.', 'objective'],
      ['Power and reflexes are normal in both legs.', 'objective'],
      ['It is sciatica, left side, no red flag.', 'assessment'],
      ['I have given naproxen and told him to keep moving.', 'plan'],
      ['If weakness or numbness in the saddle area he must go to emergency immediately.', 'plan'],
    ],
  },
  {
    name: 'eczema, child, speech recogniser',
    sentences: [
      ['Mother reports the itchy rash on his elbows and behind the knees is back since the weather turned cold.', 'subjective'],
      ['He scratches at night and wakes up.', 'subjective'],
      ['Dry excoriated patches in the flexures with some lichenification no weeping or crusting.', 'objective'],
      ['Atopic eczema flare.', 'assessment'],
      ['Emollient to be used liberally several times a day and as a soap substitute.', 'plan'],
      ['Hydrocortisone one percent cream twice a day for one week to the flares.', 'plan'],
    ],
  },
  {
    name: 'renal colic, emergency department',
    sentences: [
      ['Sudden severe right flank pain radiating to the groin since four this morning, with vomiting.', 'subjective'],
      ['Writhing, can not get comfortable.', 'objective'],
      ['T 37.1, HR 110, BP 150/95, RR 20.', 'objective'],
      ['Urinalysis shows blood three plus, no nitrites.', 'objective'],
      ['Right ureteric colic, likely a stone.', 'assessment'],
      ['Diclofenac 75 mg IM now.', 'plan'],
      ['CT KUB.', 'plan'],
      ['Strain the urine.', 'plan'],
    ],
  },
  {
    name: 'heart failure, problem list',
    sentences: [
      ['Breathless walking to the shop, two pillows at night, ankles more swollen over the last fortnight.', 'subjective'],
      ['Weight up 4 kilograms since the last visit.', 'objective'],
      ['JVP raised, bibasal crackles, pitting edema to mid shin.', 'objective'],
      ['One, decompensated heart failure with reduced ejection fraction.', 'assessment'],
      ['Two, chronic kidney disease stage three, creatinine stable.', 'assessment'],
      ['Increase furosemide to 80 mg in the morning.', 'plan'],
      ['Daily weights and a call to the heart failure nurse on Friday.', 'plan'],
    ],
  },
  {
    name: 'dizziness, bare diagnosis',
    sentences: [
      ['Room spinning for seconds when she turns over in bed or looks up.', 'subjective'],
      ['No hearing loss, no tinnitus.', 'subjective'],
      ['Dix-Hallpike positive to the right with torsional nystagmus.', 'objective'],
      ['Benign paroxysmal positional vertigo, right posterior canal.', 'assessment'],
      ['Epley manoeuvre performed in clinic.', 'plan'],
      ['Brandt-Daroff exercises at home.', 'plan'],
    ],
  },
  {
    name: 'shingles and anxiety, templated',
    sentences: [
      ['S: burning pain left chest wall three days, then a rash today.', 'subjective'],
      ['O: grouped vesicles on a red base in a band along the left T5 dermatome, not crossing the midline.', 'objective'],
      ['A: herpes zoster.', 'assessment'],
      ['P: aciclovir 800 mg five times a day for seven days.', 'plan'],
      ['She also mentions worrying a lot and poor sleep for months.', 'subjective'],
      ['Generalised anxiety disorder, to be explored further.', 'assessment'],
      ['GAD-7 at the next appointment.', 'plan'],
    ],
  },
  {
    name: 'iron deficiency, narrative',
    sentences: [
      ['She has heavy periods and has been feeling exhausted and short of breath on the stairs.', 'subjective'],
      ['She looks pale.', 'objective'],
      ['Haemoglobin 94, ferritin 6.', 'objective'],
      ['Iron deficiency anaemia due to menorrhagia.', 'assessment'],
      ['Ferrous fumarate 210 mg twice a day.', 'plan'],
      ['Gynaecology referral to discuss the bleeding.', 'plan'],
    ],
  },
  {
    name: 'knee, sports medicine shorthand',
    sentences: [
      ['Twisting injury R knee playing netball, felt a pop, swelled within an hour.', 'subjective'],
      ['Large effusion, positive Lachman, unable to fully extend.', 'objective'],
      ['Suspected ACL rupture.', 'assessment'],
      ['MRI knee and fracture clinic.', 'plan'],
      ['Crutches, weight bear as able.', 'plan'],
    ],
  },
  {
    name: 'conjunctivitis, brief',
    sentences: [
      ['Both eyes sticky and red since Sunday, worse in the morning.', 'subjective'],
      ['Vision normal, no photophobia.', 'subjective'],
      ['Diffuse conjunctival injection, purulent discharge, cornea clear.', 'objective'],
      ['Bacterial conjunctivitis.', 'assessment'],
      ['Chloramphenicol drops four times a day for five days.', 'plan'],
      ['Wash hands and do not share towels.', 'plan'],
    ],
  },
];

/**
 * The second held-out set, written after the first one's fixes. Its first run filed 47 of 57
 * sentences (82.5%; Assessment 9/10, Subjective 14/16, Objective 12/14, Plan 12/17); its misses
 * were then fixed ("patient to return …" and "come back if …" are plans, a procedure is a plan,
 * "fracture clinic" is a service, "at night" is a symptom's time as often as a dose's), so it is
 * development data now.
 */
export const SECOND_HELD_OUT_DICTATIONS: LabelledDictation[] = [
  {
    name: 'abdominal pain, emergency department',
    sentences: [
      ['19 yo M with periumbilical pain migrating to the RLQ since last night, anorexic, one episode of emesis.', 'subjective'],
      ['Vitals: T 38.0, HR 102, BP 128/70, RR 18, SpO2 99% RA.', 'objective'],
      ['Tender at McBurney point with guarding, positive Rovsing sign.', 'objective'],
      ['WBC 15.2 with left shift.', 'objective'],
      ['Acute appendicitis.', 'assessment'],
      ['NPO, IV fluids, morphine 4 mg IV.', 'plan'],
      ['Surgical consult, CT abdomen and pelvis with contrast.', 'plan'],
    ],
  },
  {
    name: 'blood pressure, new diagnosis',
    sentences: [
      ['Mr. Haddad came for the results of his home blood pressure readings.', 'subjective'],
      ['His average was 156 over 97 over a week.', 'objective'],
      ['Today 160/98 in both arms, BMI 31.', 'objective'],
      ['Stage 2 essential hypertension.', 'assessment'],
      ['Amlodipine 5 mg once a day.', 'plan'],
      ['Bloods for kidney function and cholesterol, and a urine albumin to creatinine ratio.', 'plan'],
      ['Less salt, more walking, recheck in four weeks.', 'plan'],
    ],
  },
  {
    name: 'sore throat, telephone consultation',
    sentences: [
      ['Telephone call with the patient, who has had a very sore throat and fever for two days.', 'subjective'],
      ['She can swallow fluids and has no cough.', 'subjective'],
      ['She says her neck glands feel swollen.', 'subjective'],
      ['FeverPAIN score of 3 from her history.', 'assessment'],
      ['Likely bacterial tonsillitis.', 'assessment'],
      ['Back-up prescription of phenoxymethylpenicillin to collect if no better in three days.', 'plan'],
      ['Call back or attend urgently if she cannot swallow her saliva or has trouble breathing.', 'plan'],
    ],
  },
  {
    name: 'vomiting child, non-native phrasing',
    sentences: [
      ['Child is vomiting and having loose motion from yesterday, six or seven times.', 'subjective'],
      ['His brother also had same problem last week.', 'subjective'],
      ['He is passing urine and taking little water.', 'subjective'],
      ['Child is active, mucous membranes bit dry, capillary refill less than two seconds.', 'objective'],
      ['Viral gastroenteritis with mild dehydration.', 'assessment'],
      ['Oral rehydration solution small sips every few minutes.', 'plan'],
      ['Mother to bring him back if he is not passing urine or becoming drowsy.', 'plan'],
    ],
  },
  {
    name: 'knees, narrative',
    sentences: [
      ['Mrs. Lindqvist, seventy two, has had aching in both knees for years, now worse going downstairs and after gardening.', 'subjective'],
      ['Morning stiffness lasts about ten minutes.', 'subjective'],
      ['Both knees have crepitus and bony swelling, with a small effusion on the right.', 'objective'],
      ['She walks with a slight limp.', 'objective'],
      ['Osteoarthritis of both knees, right worse than left.', 'assessment'],
      ['Physiotherapy for strengthening exercises and weight loss advice.', 'plan'],
      ['Topical diclofenac gel up to four times a day.', 'plan'],
    ],
  },
  {
    name: 'heel and wrist, terse problem list',
    sentences: [
      ['Heel pain L, first steps in the morning, 2 months.', 'subjective'],
      ['Tingling thumb to ring finger R hand, wakes at night.', 'subjective'],
      ['TTP medial calcaneal tubercle.', 'objective'],
      ["Tinel's and Phalen's positive on the right.", 'objective'],
      ['1. Plantar fasciitis, left.', 'assessment'],
      ['2. Carpal tunnel syndrome, right.', 'assessment'],
      ['Calf stretches, supportive shoes, night splint for the wrist.', 'plan'],
      ['Nerve conduction studies if not settling in 6 weeks.', 'plan'],
    ],
  },
  {
    name: 'weakness, speech recogniser',
    sentences: [
      ['sixty eight year old man whose wife noticed his speech was slurred and his right arm weak for about twenty minutes this morning', 'subjective'],
      ['symptoms have now completely resolved', 'subjective'],
      ['blood pressure one sixty two over ninety four pulse eighty irregular', 'objective'],
      ['neurological examination is normal now', 'objective'],
      ['transient ischaemic attack with new atrial fibrillation', 'assessment'],
      ['aspirin three hundred milligrams now and same day referral to the TIA clinic', 'plan'],
      ['no driving for one month', 'plan'],
    ],
  },
  {
    name: 'wrist after a fall, templated',
    sentences: [
      ['HPI: 74F slipped on ice and fell onto her outstretched left hand.', 'subjective'],
      ['Meds: alendronate weekly, calcium and vitamin D.', 'subjective'],
      ['Exam: dinner fork deformity of the left wrist, neurovascularly intact.', 'objective'],
      ['X-ray: dorsally displaced fracture of the distal radius.', 'objective'],
      ['Dx: Colles fracture, left, in a patient with osteoporosis.', 'assessment'],
      ['Closed reduction under haematoma block and a backslab.', 'plan'],
      ['Orthopaedic fracture clinic within one week.', 'plan'],
    ],
  },
];

/**
 * The third held-out set, written after the second one's fixes. Its first run filed 51 of 58
 * sentences (87.9%; Assessment 10/10, Subjective 13/15, Objective 13/15, Plan 15/18); its misses
 * were then fixed ("she appears …" is an observation, "advice given" and "link sent" are plans,
 * more examination words), so it is development data now.
 */
export const THIRD_HELD_OUT_DICTATIONS: LabelledDictation[] = [
  {
    name: 'left iliac fossa pain, surgical ward round',
    sentences: [
      ['Day two of admission, pain much improved, tolerating soft diet, bowels opened.', 'subjective'],
      ['Obs stable, afebrile overnight, HR 84, BP 132/80.', 'objective'],
      ['Abdomen soft, mild LIF tenderness, no peritonism.', 'objective'],
      ['CRP down from 180 to 95.', 'objective'],
      ['Uncomplicated sigmoid diverticulitis, responding to treatment.', 'assessment'],
      ['Switch IV co-amoxiclav to oral to complete seven days.', 'plan'],
      ['Home tomorrow if remains well, colonoscopy in six weeks.', 'plan'],
    ],
  },
  {
    name: 'barking cough, paediatrics',
    sentences: [
      ['Two year old with a barking cough and hoarse voice since last evening, noisy breathing when upset.', 'subjective'],
      ['Had a runny nose for two days before.', 'subjective'],
      ['Stridor only when crying, no recession, sats 97 percent, temperature 37.8.', 'objective'],
      ['Mild croup.', 'assessment'],
      ['Single dose of dexamethasone 0.15 mg per kg by mouth given in the department.', 'plan'],
      ['Parents advised to return at once if stridor at rest or any blue spells.', 'plan'],
    ],
  },
  {
    name: 'chest pain, narrative',
    sentences: [
      ['Mr. Adeyemi, forty one, noticed a sharp pain at the left side of his breastbone after moving furniture at the weekend.', 'subjective'],
      ['It is worse when he takes a deep breath or presses on it, and there is no exertional pattern.', 'subjective'],
      ['ECG shows sinus rhythm with no ischaemic changes.', 'objective'],
      ['Reproducible tenderness over the left second and third costochondral junctions.', 'objective'],
      ['Costochondritis.', 'assessment'],
      ['Ibuprofen 400 mg three times a day with food for a week.', 'plan'],
      ['Seek urgent help if the pain becomes crushing or comes with breathlessness or sweating.', 'plan'],
    ],
  },
  {
    name: 'plaques, dermatology shorthand',
    sentences: [
      ['Itchy scaly patches elbows + scalp, 6 months, worse with stress.', 'subjective'],
      ['FHx psoriasis (father).', 'subjective'],
      ['Well-demarcated erythematous plaques with silvery scale, extensor elbows and occipital scalp, nail pitting.', 'objective'],
      ['Chronic plaque psoriasis, mild to moderate.', 'assessment'],
      ['Calcipotriol/betamethasone gel once daily to plaques for 4 weeks.', 'plan'],
      ['Coal tar shampoo for the scalp.', 'plan'],
    ],
  },
  {
    name: 'head knock, non-native phrasing',
    sentences: [
      ['He was hitting his head on the door of car two hours before, no loss of consciousness.', 'subjective'],
      ['Only he is having little headache, no vomiting, not sleepy.', 'subjective'],
      ['GCS is fifteen, pupils are equal and reacting, no bruise on scalp.', 'objective'],
      ['Minor head injury without any high risk feature.', 'assessment'],
      ['CT head is not needed now.', 'assessment'],
      ['Written head injury advice given and his wife will stay with him tonight.', 'plan'],
    ],
  },
  {
    name: 'sleep, video consultation',
    sentences: [
      ['Video consultation.', 'subjective'],
      ['She lies awake for two hours most nights and wakes at four, for about six months, since her divorce.', 'subjective'],
      ['Two glasses of wine most evenings, coffee until late afternoon.', 'subjective'],
      ['She appears tired but is articulate and her mood seems reactive.', 'objective'],
      ['Chronic insomnia, probably with an anxious component.', 'assessment'],
      ['Sleep hygiene discussed, cut caffeine after midday and alcohol in the evening.', 'plan'],
      ['Online CBT for insomnia, link sent by text.', 'plan'],
      ['Video review in four weeks.', 'plan'],
    ],
  },
  {
    name: 'fever in a care home resident, speech recogniser',
    sentences: [
      ['eighty six year old lady from a care home with fever cough and aches since yesterday several residents are unwell', 'subjective'],
      ['temperature thirty eight point four respiratory rate twenty two oxygen saturation ninety three percent on air', 'objective'],
      ['chest clear apart from a few scattered crackles', 'objective'],
      ['point of care test positive for influenza a', 'objective'],
      ['influenza a with no evidence of pneumonia at present', 'assessment'],
      ['oseltamivir seventy five milligrams twice daily for five days', 'plan'],
      ['inform the care home and public health team about the outbreak', 'plan'],
    ],
  },
  {
    name: 'diabetes annual review, templated',
    sentences: [
      ['Interval history - two hypos last month, both before lunch, on gliclazide.', 'subjective'],
      ['Findings - weight 84 kg, BP 136/82, feet pulses present, monofilament normal.', 'objective'],
      ['HbA1c 48 mmol/mol, eGFR 72.', 'objective'],
      ['Impression - type 2 diabetes with good control but hypoglycaemia on a sulfonylurea.', 'assessment'],
      ['Stop gliclazide.', 'plan'],
      ['Start sitagliptin 100 mg daily.', 'plan'],
      ['Retinal screening is due, she will book.', 'plan'],
    ],
  },
  {
    name: 'sneezing and itching, brief',
    sentences: [
      ['Sneezing, itchy eyes and a blocked nose every spring and summer.', 'subjective'],
      ['Pale boggy nasal mucosa, no polyps.', 'objective'],
      ['Seasonal allergic rhinitis.', 'assessment'],
      ['Fexofenadine 180 mg once daily and a steroid nasal spray through the pollen season.', 'plan'],
    ],
  },
];

/**
 * The fourth held-out set, written in an earlier session. Its first run filed 49 of 56 sentences
 * (87.5%; Subjective 13/15, Objective 13/15, Assessment 9/10, Plan 14/16); the brief-style sets
 * below and their fixes came after, so it is development data now.
 */
export const FOURTH_HELD_OUT_DICTATIONS: LabelledDictation[] = [
  {
    name: 'nosebleed, out of hours',
    sentences: [
      ['Seventy nine year old on warfarin with a nosebleed from the right nostril for forty minutes, not stopping with pressure at home.', 'subjective'],
      ['Pulse 96, BP 172/88, INR 4.2 on the point-of-care meter.', 'objective'],
      ['Bleeding point on the anterior septum, oozing slowly.', 'objective'],
      ['Anterior epistaxis with a supratherapeutic INR.', 'assessment'],
      ['Silver nitrate cautery done and Naseptin cream.', 'plan'],
      ['Omit warfarin tonight and repeat the INR in the morning.', 'plan'],
    ],
  },
  {
    name: 'nausea in pregnancy, antenatal clinic',
    sentences: [
      ['G2P1 at nine weeks, vomiting up to ten times a day, keeping little down for four days.', 'subjective'],
      ['She has lost two kilos since booking.', 'subjective'],
      ['Dry lips, HR 108, ketones three plus in the urine.', 'objective'],
      ['Hyperemesis gravidarum with dehydration.', 'assessment'],
      ['Admit to the day unit for IV fluids and cyclizine.', 'plan'],
      ['Thiamine before any dextrose.', 'plan'],
    ],
  },
  {
    name: 'itchy rash, nurse practitioner shorthand',
    sentences: [
      ['Intensely itchy rash 3 wks, worse at night, partner itchy too.', 'subjective'],
      ['Burrows in finger webs and on wrists, excoriated papules on waist.', 'objective'],
      ['Scabies.', 'assessment'],
      ['Permethrin 5% cream whole body from the neck down, repeat after 7 days.', 'plan'],
      ['Treat all household contacts at the same time, wash bedding at 60 degrees.', 'plan'],
    ],
  },
  {
    name: 'confusion, hospital discharge review',
    sentences: [
      ['Seen at home three days after discharge from the medical ward.', 'subjective'],
      ['Her daughter says she is back to her usual self and eating and drinking again.', 'subjective'],
      ['Alert, oriented to time and place, AMT 9 out of 10.', 'objective'],
      ['Delirium secondary to a urinary tract infection, now resolved.', 'assessment'],
      ['Finish the course of cefalexin on Thursday.', 'plan'],
      ['Encourage fluids, daughter will call if she becomes muddled again.', 'plan'],
    ],
  },
  {
    name: 'sudden breathlessness, non-native phrasing',
    sentences: [
      ['This tall young man is getting sudden sharp pain in right side of chest and breathing difficulty while playing cricket one hour back.', 'subjective'],
      ['He is a smoker, ten cigarettes per day.', 'subjective'],
      ['Air entry is reduced on the right side and percussion note is hyper resonant.', 'objective'],
      ['Oxygen saturation is ninety four percent, respiratory rate twenty four.', 'objective'],
      ['Chest x-ray is showing right sided pneumothorax, about three centimetre rim.', 'objective'],
      ['Primary spontaneous pneumothorax, right.', 'assessment'],
      ['Needle aspiration is done by the medical team and he is kept for observation.', 'plan'],
    ],
  },
  {
    name: 'right upper quadrant pain, speech recogniser',
    sentences: [
      ['forty five year old woman with episodes of right upper abdominal pain after fatty meals lasting a couple of hours', 'subjective'],
      ['no jaundice no fever between attacks', 'subjective'],
      ['abdomen soft mild tenderness right upper quadrant murphy sign negative', 'objective'],
      ['ultrasound last week showed multiple gallstones with a normal bile duct', 'objective'],
      ['symptomatic gallstones biliary colic', 'assessment'],
      ['refer to general surgery for consideration of laparoscopic cholecystectomy', 'plan'],
      ['low fat diet in the meantime and come back urgently if she turns yellow or gets a fever', 'plan'],
    ],
  },
  {
    name: 'panic and alcohol, problem list',
    sentences: [
      ['Episodes of racing heart, tight chest and fear of dying, lasting ten minutes, several a week.', 'subjective'],
      ['Drinking about forty units a week, more since the attacks started.', 'subjective'],
      ['Heart sounds normal, ECG normal, TSH normal.', 'objective'],
      ['AUDIT score 18.', 'objective'],
      ['Problem one, panic disorder.', 'assessment'],
      ['Problem two, harmful drinking.', 'assessment'],
      ['Self-help booklet and referral to talking therapies.', 'plan'],
      ['Alcohol reduction plan agreed, aiming for fourteen units within two months.', 'plan'],
    ],
  },
  {
    name: 'tremor, templated',
    sentences: [
      ['Reason for visit: six monthly review of Parkinson disease.', 'subjective'],
      ['Symptoms: more freezing when turning, two falls since the last review, wearing off before the next dose.', 'subjective'],
      ['Examination: rest tremor right hand, cogwheel rigidity, shuffling gait with reduced arm swing.', 'objective'],
      ['Lying and standing BP 138/80 and 112/70.', 'objective'],
      ['Assessment: advancing Parkinson disease with motor fluctuations and orthostatic hypotension.', 'assessment'],
      ['Co-careldopa to five times a day.', 'plan'],
      ['Falls clinic and occupational therapy home visit.', 'plan'],
    ],
  },
  {
    name: 'ear, brief',
    sentences: [
      ['Painful itchy left ear after swimming holiday.', 'subjective'],
      ['Canal swollen and red with debris, pain on moving the tragus, drum not seen.', 'objective'],
      ['Otitis externa.', 'assessment'],
      ['Ciprofloxacin ear drops twice a day for a week and keep the ear dry.', 'plan'],
    ],
  },
];

/**
 * Written to develop the draft for the styles issue 11 names (terse telegraphic notes, narrative
 * letters, British and American shorthand: "HTN", "T2DM", "?UTI", "r/o", "Imp:", "will …",
 * "to …", "f/u", "2/52"), and tuned against from the start: 51 of 55 filed at first, then the
 * headings, lab and skin words, "?" and "r/o", subject-less story verbs and the rest were added.
 */
export const BRIEF_STYLE_DICTATIONS: LabelledDictation[] = [
  { name: 'dysuria, GP shorthand', sentences: [
    ['28F, 3/7 dysuria and frequency, no loin pain.', 'subjective'],
    ['LMP 2/52 ago, not pregnant.', 'subjective'],
    ['Apyrexial, abdo SNT, no renal angle tenderness.', 'objective'],
    ['Urine dip: nitrites +, leucs ++.', 'objective'],
    ['?UTI.', 'assessment'],
    ['Nitrofurantoin 100 mg MR BD x 3/7.', 'plan'],
    ['Safety netted re fever and loin pain.', 'plan'],
  ]},
  { name: 'hypertension, US telegraphic', sentences: [
    ['62M w/ HTN, T2DM, HLD here for 3 mo f/u.', 'subjective'],
    ['Checks BP at home, mostly 140s/90s.', 'subjective'],
    ['BP 152/96, HR 78, BMI 31.', 'objective'],
    ['A1c 8.1 last wk.', 'objective'],
    ['HTN, not at goal.', 'assessment'],
    ['T2DM, suboptimal control.', 'assessment'],
    ['Will add amlodipine 5 mg daily.', 'plan'],
    ['F/u 4 wks w/ BMP.', 'plan'],
  ]},
  { name: 'chest pain, r/o', sentences: [
    ['Pt reports pressure-like CP x 2 hrs, radiating to L arm.', 'subjective'],
    ['Diaphoretic, HR 104, BP 168/94, SpO2 97% RA.', 'objective'],
    ['ECG: ST depression V4-V6.', 'objective'],
    ['Imp: ACS, r/o NSTEMI.', 'assessment'],
    ['Aspirin 300 mg stat, serial troponins.', 'plan'],
    ['To be admitted under cardiology.', 'plan'],
  ]},
  { name: 'cough, narrative British', sentences: [
    ['She tells me the cough started about ten days ago after a cold and she has been bringing up yellow phlegm.', 'subjective'],
    ['Her husband has had the same thing.', 'subjective'],
    ['On listening to her chest there were a few coarse crackles at the left base which cleared with coughing.', 'objective'],
    ['Sats were 97 percent on air and she was not breathless talking.', 'objective'],
    ['I think this is a post-viral lower respiratory tract infection rather than a pneumonia.', 'assessment'],
    ['I have not given antibiotics and she will come back if she is no better in a week.', 'plan'],
  ]},
  { name: 'knee, sports clinic', sentences: [
    ['Twisted L knee skiing 1/52 ago, immediate swelling, unable to weight bear.', 'subjective'],
    ['Moderate effusion, medial joint line tenderness, Lachman positive.', 'objective'],
    ['Probable ACL rupture.', 'assessment'],
    ['MRI knee requested.', 'plan'],
    ['To see physio in the meantime.', 'plan'],
    ['Review with MRI result.', 'plan'],
  ]},
  { name: 'low mood, problem list US', sentences: [
    ['Feeling down for past 2 months, anhedonia, poor sleep.', 'subjective'],
    ['Denies SI/HI.', 'subjective'],
    ['PHQ-9 17.', 'objective'],
    ['Flat affect, good eye contact, speech normal.', 'objective'],
    ['MDD, moderate, single episode.', 'assessment'],
    ['Start sertraline 50 mg daily.', 'plan'],
    ['Will refer to behavioral health.', 'plan'],
    ['RTC 4 weeks or sooner prn.', 'plan'],
  ]},
  { name: 'abdominal pain, ED terse', sentences: [
    ['RIF pain since last night, migrated from umbilicus, anorexic.', 'subjective'],
    ['T 37.9, HR 98.', 'objective'],
    ['Tender RIF with guarding, Rovsing positive.', 'objective'],
    ['WCC 14, CRP 68.', 'objective'],
    ['Likely appendicitis.', 'assessment'],
    ['NBM, IV fluids, surgical referral.', 'plan'],
  ]},
  { name: 'asthma child, mum', sentences: [
    ['Mum says he has been wheezy at night for a week and using his blue inhaler three times a day.', 'subjective'],
    ['No fevers.', 'subjective'],
    ['RR 28, sats 95%, mild wheeze throughout, no recession.', 'objective'],
    ['Peak flow 180, about 70% of predicted.', 'objective'],
    ['Moderate asthma exacerbation, likely viral trigger.', 'assessment'],
    ['Prednisolone 20 mg OD for 3 days.', 'plan'],
    ['Inhaler technique checked.', 'plan'],
    ['Asthma review in 1 week.', 'plan'],
  ]},
];
BRIEF_STYLE_DICTATIONS.push(
  { name: 'syncope, templated British abbreviations', sentences: [
    ['PC: collapse at work today.', 'subjective'],
    ['HPC: felt hot and sweaty standing in a queue, then brief LOC, no jerking, back to normal within a minute.', 'subjective'],
    ['PMH: nil. DH: nil. NKDA.', 'subjective'],
    ['SH: nurse, non-smoker, rare alcohol.', 'subjective'],
    ['O/E: lying BP 118/76, standing 112/74, HS I+II+0.', 'objective'],
    ['ECG: sinus rhythm, normal intervals.', 'objective'],
    ['Vasovagal syncope.', 'assessment'],
    ['DVLA advice not needed, fluids and counter-pressure manoeuvres explained.', 'plan'],
    ['R/v if recurrent.', 'plan'],
  ]},
  { name: 'breathless, hospital ward round', sentences: [
    ['Overnight more breathless, needing 4 L oxygen.', 'subjective'],
    ['Obs: T 38.4, RR 26, sats 92% on 4 L.', 'objective'],
    ['CXR: new R lower zone consolidation.', 'objective'],
    ['Bloods: CRP 210, WCC 18, urea 9.1.', 'objective'],
    ['HAP, CURB-65 2.', 'assessment'],
    ['Switch to tazocin as per micro.', 'plan'],
    ['Repeat bloods tomorrow.', 'plan'],
    ['Escalate to outreach if NEWS above 5.', 'plan'],
  ]},
  { name: 'swelling, bare diagnoses US', sentences: [
    ['Noted lump in R groin x 1 mo, worse on lifting.', 'subjective'],
    ['Reducible swelling R groin, cough impulse present.', 'objective'],
    ['R inguinal hernia.', 'assessment'],
    ['Carpal tunnel syndrome bilaterally.', 'assessment'],
    ['Refer gen surg for elective repair.', 'plan'],
    ['Wrist splints at night.', 'plan'],
  ]},
  { name: 'anaemia, narrative', sentences: [
    ['He has been more tired than usual for three months and gets breathless on the stairs.', 'subjective'],
    ['His stools have been darker at times.', 'subjective'],
    ['He looked pale and his conjunctivae were pale.', 'objective'],
    ['His haemoglobin came back at 92 with a low MCV and ferritin of 8.', 'objective'],
    ['Iron deficiency anaemia, needs investigation for a GI bleed.', 'assessment'],
    ['Urgent two week wait referral for OGD and colonoscopy.', 'plan'],
    ['Ferrous fumarate 210 mg twice daily.', 'plan'],
  ]},
  { name: 'rash, derm shorthand', sentences: [
    ['Itchy scaly rash on trunk 2 wks, started with one large patch.', 'subjective'],
    ['Herald patch L flank, multiple oval salmon plaques in Christmas tree distribution.', 'objective'],
    ['Pityriasis rosea.', 'assessment'],
    ['Reassurance, emollients, should settle in 6-8 wks.', 'plan'],
  ]},
  { name: 'kidney, renal clinic', sentences: [
    ['Known CKD 3b, feels well, no change in urine output.', 'subjective'],
    ['BP 134/80, no oedema.', 'objective'],
    ['eGFR 38, stable from last year, ACR 45.', 'objective'],
    ['CKD 3b A2, stable.', 'assessment'],
    ['Continue ramipril, add dapagliflozin 10 mg.', 'plan'],
    ['Recheck U&Es in 2 weeks.', 'plan'],
    ['Next clinic 6/12.', 'plan'],
  ]},
);

/**
 * Written after those fixes as a check on them before the held-out set was written; its first
 * run filed 30 of 38 (78.9%: "on Monday" read as a date ahead in a story, "T2DM on metformin"
 * as today's diagnosis, "I gave him a fit note" as history), then tuned against.
 */
export const FRESH_STYLE_DICTATIONS: LabelledDictation[] = [
  { name: 'vertigo, telephone', sentences: [
    ['Spoke to pt on phone.', 'subjective'],
    ['Sudden vertigo on rolling over in bed since yesterday, lasts under a minute, no hearing change.', 'subjective'],
    ['Unable to examine, telephone consult.', 'objective'],
    ['Sounds like BPPV.', 'assessment'],
    ['Epley manoeuvre leaflet sent by text.', 'plan'],
    ['F2F if worsening or new neuro symptoms.', 'plan'],
  ]},
  { name: 'gout US', sentences: [
    ['55 yo M c/o hot swollen R great toe overnight, can\'t bear sheet on it.', 'subjective'],
    ['Hx of similar episode last yr.', 'subjective'],
    ['R 1st MTP erythematous, warm, exquisitely tender.', 'objective'],
    ['Uric acid 9.2.', 'objective'],
    ['Acute gouty arthritis.', 'assessment'],
    ['Colchicine 0.5 mg BID x 5 days.', 'plan'],
    ['Will discuss allopurinol once flare settles.', 'plan'],
  ]},
  { name: 'back pain, narrative', sentences: [
    ['He hurt his back lifting boxes at work on Monday and the pain goes into his right buttock.', 'subjective'],
    ['There is no numbness in the saddle area and he is passing water normally.', 'subjective'],
    ['He could bend to touch his knees and straight leg raise was 70 degrees on both sides.', 'objective'],
    ['Reflexes and power in the legs were normal.', 'objective'],
    ['Simple mechanical low back pain with no red flags.', 'assessment'],
    ['He is to keep moving and take ibuprofen 400 mg three times a day with food.', 'plan'],
    ['I gave him a fit note for one week.', 'plan'],
  ]},
  { name: 'child fever', sentences: [
    ['2yo, fever 2/7, off food, drinking OK, wet nappies.', 'subjective'],
    ['Imms UTD.', 'subjective'],
    ['T 38.6, HR 140, CRT 2s, alert and playful.', 'objective'],
    ['R TM red and bulging.', 'objective'],
    ['R AOM.', 'assessment'],
    ['Amoxicillin 125 mg/5 ml 5 ml TDS 5/7.', 'plan'],
    ['Calpol/nurofen for fever, return if drowsy or not drinking.', 'plan'],
  ]},
  { name: 'palpitations, cardiology letter', sentences: [
    ['Thank you for referring this 48 year old lady with palpitations.', 'subjective'],
    ['She describes episodes of a fast regular heartbeat starting and stopping abruptly.', 'subjective'],
    ['Her examination today was unremarkable.', 'objective'],
    ['Her resting ECG shows a short PR interval with delta waves.', 'objective'],
    ['Wolff-Parkinson-White pattern, likely AVRT.', 'assessment'],
    ['I have listed her for an electrophysiology study and ablation.', 'plan'],
  ]},
  { name: 'diabetes foot, nurse', sentences: [
    ['T2DM on metformin, attends for annual foot check.', 'subjective'],
    ['No new numbness or ulcers reported.', 'subjective'],
    ['Pedal pulses palpable, monofilament sensation reduced both forefeet.', 'objective'],
    ['Moderate risk foot.', 'assessment'],
    ['Podiatry referral, foot care advice given.', 'plan'],
  ]},
];
