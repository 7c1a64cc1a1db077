"""The checkpoints of a lesson step: a question, a derivation or a find.

`Checkpoints` is mixed into the lesson screen: it shows the checkpoint of the
step on screen, takes the learner's answer, judges it (a derivation by the
verify engine, in a worker thread) and keeps it in the learner's progress.
"""

from textual import work
from textual.widgets import Input, Markdown, OptionList, Static

from tracer.errors import TracerError
from tracer.lesson_trace import matches
from tracer.progress import Answer

KIND_NAMES = {"question": "Question", "derive": "Derive it", "find": "Find it"}
PROMPTS = {
    "question": "Pick a choice with ↑ ↓ and Enter (or s to skip).",
    "derive": "Press a, type your answer and press Enter (or s to skip).",
    "find": "Read it off the trace, then press a, type it and press Enter "
    "(or s to skip).",
}


def settled(kind: str, answer: Answer | None) -> bool:
    """Whether a checkpoint lets the learner move on.

    A question is settled by any choice (its explanation shows the right one);
    a derivation or a find needs the right answer, or a skip.
    """
    if answer is None:
        return False
    return kind == "question" or answer.correct or answer.skipped


class Checkpoints:
    """Showing, answering and judging the checkpoint of the step on screen.

    The screen it is mixed into provides ``lesson``, ``index``, ``step``,
    ``key``, ``remember`` (saving progress) and ``answer_given``.
    """

    def show_checkpoint(self) -> None:
        checkpoint = self.step.checkpoint
        box = self.query_one("#checkpoint")
        box.set_class(checkpoint is None, "-hidden")
        if checkpoint is None:
            self.set_focus(None)
            return
        box.border_title = KIND_NAMES[checkpoint.kind]
        self.query_one("#ask", Markdown).update(checkpoint.ask)
        choices = self.query_one("#choices", OptionList)
        field = self.query_one("#answer", Input)
        given = self.answer_given
        is_question = checkpoint.kind == "question"
        choices.set_class(not is_question, "-hidden")
        field.set_class(is_question, "-hidden")
        if is_question:
            choices.clear_options()
            choices.add_options(
                [f"{k + 1}. {text}" for k, text in enumerate(checkpoint.choices)]
            )
            choices.highlighted = 0
        else:
            field.value = given.given if given else ""
            field.placeholder = "press a to type here; Enter checks, Esc leaves"
        self.show_feedback(given)
        # Only the choices take the focus: an answer box would swallow the keys.
        if is_question and not settled("question", given):
            self.set_focus(choices)
        else:
            self.set_focus(None)

    def show_feedback(self, given: Answer | None, message: str = "") -> None:
        """Say how the checkpoint went; reveal the explanation once settled."""
        checkpoint = self.step.checkpoint
        feedback = self.query_one("#feedback", Static)
        explain = self.query_one("#explain", Markdown)
        feedback.set_class(bool(given and given.correct), "-right")
        feedback.set_class(bool(given and not given.correct), "-wrong")
        done = settled(checkpoint.kind, given)
        if given is None:
            text = message or PROMPTS[checkpoint.kind]
        elif given.skipped:
            text = "Skipped." + self.reveal()
        elif given.correct:
            text = message or "✓ Right. Press n to go on."
        else:
            text = message or "✗ Not quite."
            if checkpoint.kind == "question":
                text += self.reveal() + " Press n to go on."
            else:
                text += " Press a to try again, h for a hint, or s to skip."
        feedback.update(text)
        explain.display = done and bool(checkpoint.explain)
        if done:
            explain.update(checkpoint.explain)

    def reveal(self) -> str:
        """`` The answer: …``, for a skipped or missed checkpoint."""
        checkpoint = self.step.checkpoint
        if checkpoint.kind == "question":
            right = checkpoint.choices[checkpoint.correct]
            return f" The answer: {checkpoint.correct + 1}. {right}"
        if checkpoint.kind == "find":
            try:
                return f" The answer: {self.lesson.answer(self.index)}"
            except TracerError as error:
                return f" ({error})"
        from tracer.derivation import derive
        from tracer.notation import unicode

        partial = derive(checkpoint.model).partial(checkpoint.param)
        return f" SymPy's answer: {unicode(partial.sum_form)}"

    def record(self, answer: Answer) -> None:
        self.remember("answer", self.index, answer)
        self.show_feedback(answer)

    # Answers.

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        checkpoint = self.step.checkpoint
        if checkpoint is None or checkpoint.kind != "question":
            return
        if settled("question", self.answer_given):
            self.notify("Already answered. Press n to go on.")
            return
        index = event.option_index
        given = checkpoint.choices[index]
        self.record(Answer(given, index == checkpoint.correct))
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        checkpoint = self.step.checkpoint
        text = event.value.strip()
        if checkpoint is None or not text:
            return
        if checkpoint.kind == "find":
            try:
                expected = self.lesson.answer(self.index)
            except TracerError as error:
                self.query_one("#feedback", Static).update(f"{error} Press s to skip.")
                return
            right = matches(expected, text, checkpoint.tolerance)
            self.record(Answer(text, right))
            self.set_focus(None)
            return
        self.query_one("#feedback", Static).update("checking…")
        self.set_focus(None)
        self.judge(self.key, checkpoint.model, checkpoint.param, text)

    @work(thread=True, exclusive=True, group="judge")
    def judge(self, key, model: str, param: str, text: str) -> None:
        """Have the verify engine judge a typed derivation."""
        from tracer.answers import judge

        try:
            verdict = judge(model, param, text)
        except TracerError as error:
            self.app.call_from_thread(self.judged, key, text, False, str(error))
            return
        right = verdict.status == "correct"
        self.app.call_from_thread(self.judged, key, text, right, verdict.message)

    def judged(self, key, text: str, right: bool, message: str) -> None:
        if key != self.key:
            return
        answer = Answer(text, right)
        self.remember("answer", self.index, answer)
        # show_feedback adds what to do next after a wrong answer.
        text = f"✓ Right. {message} Press n to go on." if right else f"✗ {message}"
        self.show_feedback(answer, text)
