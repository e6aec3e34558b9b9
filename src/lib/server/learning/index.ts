// Everything a learner does: catalogue, course and lesson pages, progress, quiz attempts, completion,
// certificates and "My learning". Routes import this module as `learning`.
export { catalogue, lessonImage, competencyNames, courseStates, continueHref, firstUnfinished, publishedCourse, publishedCourses, statusOf, visibleLessons, type CourseState, type CourseStatus } from './catalogue';
export { courseView, lessonView } from './course';
export { markLessonDone, startCourse } from './progress';
export { attemptHistory, quizView, attemptQuestions, attemptResult, openAttempt, startAttempt, submitAttempt, type ShownQuestion, type ResultQuestion, type StartResult, type SubmitResult, type SubmittedValues } from './attempts';
export { annualTarget, certificateCode, certificateFor, completeIfDone, hoursInYear, verifyCertificate, type CertificateView } from './completion';
export { assignedCourses, competencyMastery, dashboard, type AssignmentStatus } from './me';
