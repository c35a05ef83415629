from __future__ import annotations

from django import forms

from qifu.core.forms import StyledFormMixin


class AskForm(StyledFormMixin, forms.Form):
    question = forms.CharField(
        label="您的问题",
        max_length=500,
        widget=forms.TextInput(
            attrs={"placeholder": "例如：怎么办理营业执照？", "autocomplete": "off"}
        ),
        error_messages={"required": "请输入您的问题。", "max_length": "问题请不要超过500字。"},
    )


class MessageForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label="消息",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请输入消息内容。"},
    )


class FaqForm(StyledFormMixin, forms.Form):
    question = forms.CharField(label="标准问题", max_length=200)
    answer = forms.CharField(label="答案", widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.CharField(label="分类", max_length=50, required=False)
    link = forms.CharField(
        label="办理链接",
        max_length=200,
        required=False,
        help_text="站内页面地址，以 / 开头，如 /matters/JY-002/",
    )
    similar_questions = forms.CharField(
        label="相似问法",
        required=False,
        help_text="每行一个",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def similar_list(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["similar_questions"].splitlines() if s.strip()]
