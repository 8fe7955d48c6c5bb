"""委员学习: the information resources library (S4-2.2.5), courses and lessons with quizzes, study time counted from
heartbeats, annual learning plans, certificates and live lectures (S4-2.2.6, S0-20, S3-5).

Every row belongs to a body (`body`, an `orgs.OrgUnit` of kind body). Study time is kept only in the database:
`StudyClock` (one row per user: the lesson being studied and the last accepted beat) and `StudyDay` (seconds per
user, lesson and day); `CourseProgress` sums a user's seconds per course and year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Source(models.TextChoices):
    CONGRESS = "congress", _("Congress documents")
    GOVERNMENT = "government", _("Government documents")
    COURT = "court", _("Court documents")
    PROCURATORATE = "procuratorate", _("Procuratorate documents")
    REFERENCE = "reference", _("Reference materials")
    WORK_INFO = "work_info", _("Work information")
    RESEARCH = "research", _("Research")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone on the platform")
    BODY = "body", _("Members, deputies and staff of this body")
    MEMBERS = "members", _("Only members and deputies of this body")


class Document(models.Model):
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=Source.choices)
    year = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=40, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BODY)
    version_count = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-year", "-pk"]
        indexes = [
            models.Index(fields=["body", "audience", "is_active", "year"], name="learning_doc_body_idx"),
            models.Index(fields=["audience", "is_active", "year"], name="learning_doc_aud_idx"),
            models.Index(fields=["source", "year"], name="learning_doc_source_idx"),
            models.Index(fields=["topic"], name="learning_doc_topic_idx"),
        ]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One uploaded file of a document; a new upload adds a version and keeps the old ones."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="learning/docs/%Y/%m/")
    filename = models.CharField(max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True, default="")  # computed while the upload was streamed
    text_length = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="learning_version_once")]

    def __str__(self):
        return f"{self.document_id} v{self.number}"


class ReadingList(models.Model):
    """The reading list of one session of the congress (e.g. 第十六届人大第三次会议)."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    session = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    documents = models.ManyToManyField(Document, through="ReadingListItem", related_name="reading_lists")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["body", "session"], name="learning_reading_list_once")]

    def __str__(self):
        return self.session


class ReadingListItem(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="list_items")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["reading_list", "document"], name="learning_reading_item_once")]


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("course status", "Draft")
        PUBLISHED = "published", pgettext_lazy("course status", "Published")
        RETIRED = "retired", pgettext_lazy("course status", "Retired")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, default="")
    year = models.PositiveSmallIntegerField()
    required_minutes = models.PositiveIntegerField(default=60)  # study time needed to complete the course
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["body", "status", "year"], name="learning_course_body_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(required_minutes__gte=1), name="learning_course_minutes_pos")
        ]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    class Transcode(models.TextChoices):
        NONE = "", _("Not needed")
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Converted")
        SKIPPED = "skipped", _("Skipped (no ffmpeg)")
        FAILED = "failed", _("Conversion failed")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, default="")
    image = models.FileField(upload_to="learning/images/%Y/%m/", blank=True)
    image_mime = models.CharField(max_length=40, blank=True, default="")
    video = models.FileField(upload_to="learning/video/%Y/%m/", blank=True)
    video_mime = models.CharField(max_length=40, blank=True, default="")
    video_size = models.PositiveBigIntegerField(default=0)
    video_sha256 = models.CharField(max_length=64, blank=True, default="")
    transcode = models.CharField(max_length=10, choices=Transcode.choices, blank=True, default="")
    pass_mark = models.PositiveSmallIntegerField(default=60)  # per cent of the quiz's questions
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lecture_ref = models.CharField(max_length=60, blank=True, default="")  # "consultation.meeting:<id>"

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["course", "order"], name="learning_lesson_order_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="learning_pass_mark_range"),
            models.CheckConstraint(condition=models.Q(max_attempts__gte=1), name="learning_attempts_pos"),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    choices = models.JSONField(default=list)  # ["choice", …]
    answer = models.PositiveSmallIntegerField()  # index into choices

    class Meta:
        ordering = ["order", "pk"]


class QuizAttempt(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()  # per cent
    passed = models.BooleanField()
    answers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["lesson", "user", "number"], name="learning_attempt_once")]
        indexes = [models.Index(fields=["user", "lesson", "passed"], name="learning_attempt_user_idx")]


class StudyClock(models.Model):
    """The lesson a user is studying now and the server time of the last accepted heartbeat (one row per user)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, null=True, on_delete=models.SET_NULL, related_name="+")
    last_beat_at = models.DateTimeField(null=True)


class StudyDay(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson", "day"], name="learning_study_day_once")]
        indexes = [models.Index(fields=["user", "day"], name="learning_study_user_day_idx")]


class CourseProgress(models.Model):
    """A user's study of a course in one year: seconds counted, whole hours sent to duty, completion."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="progress")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    seconds = models.PositiveIntegerField(default=0)
    hours_recorded = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course", "year"], name="learning_progress_once")]
        indexes = [
            models.Index(fields=["body", "year", "user"], name="learning_progress_body_idx"),
            models.Index(fields=["user", "year"], name="learning_progress_user_idx"),
        ]


class Certificate(models.Model):
    progress = models.OneToOneField(CourseProgress, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(max_length=30, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)


class Plan(models.Model):
    """A body's annual learning plan: the hours every member or deputy studies in the year, and its courses."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    required_hours = models.PositiveSmallIntegerField()
    courses = models.ManyToManyField(Course, blank=True, related_name="plans")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="learning_plan_once")]


class Lecture(models.Model):
    """A live lecture held as a consultation meeting; attendance becomes a training record, the recording a lesson."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="lectures")
    meeting_id = models.PositiveBigIntegerField(unique=True)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    recorded_at = models.DateTimeField(null=True, blank=True)  # attendance turned into training records
    recording = models.OneToOneField(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_at"]
