// Everything a learner does: catalogue, course and lesson pages, progress, completion, certificates and
// "My learning" (quiz attempts are in quiz/). Routes import this module as `learning`.
export {
	catalogue,
	lessonImage,
	competencyNames,
	courseStates,
	continueHref,
	firstUnfinished,
	publishedCourse,
	publishedCourses,
	statusOf,
	visibleLessons,
	type CourseState,
	type CourseStatus
} from './catalogue';
export { courseView, lessonView } from './course';
export { markLessonDone, startCourse } from './progress';
export {
	annualTarget,
	certificateCode,
	certificateFor,
	completeIfDone,
	hoursInYear,
	verifyCertificate,
	type CertificateView
} from './completion';
export { assignedCourses, competencyMastery, dashboard, type AssignmentStatus } from './me';
